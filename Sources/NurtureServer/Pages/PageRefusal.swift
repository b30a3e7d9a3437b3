import Foundation
import Hummingbird

/// A request refused with a page that says why: thrown by a route, answered by Hummingbird with
/// the page and its status. The text is escaped here.
struct PageRefusal: HTTPResponseError {
    var status: HTTPResponse.Status
    var title: String
    var message: String
    /// Whether the page links back to the rep's pages (not for someone who is not signed in).
    var linksBack = true

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let back = linksBack ? "<p><a href=\"/rep\">Back to your hand-offs</a></p>" : ""
        return PageLayout.response(title: title, body: "<h1>\(Page.escape(title))</h1><p>\(Page.escape(message))</p>\(back)", status: status)
    }

    /// Anything that is not the caller's, or does not exist: the same answer for both.
    static let notFound = PageRefusal(status: .notFound, title: "Not found", message: "There is nothing here for you.")
    static let forbidden = PageRefusal(
        status: .forbidden, title: "Form expired", message: "This form is not valid for your session. Reload the page and try again.")
}

/// A page asked for without a session: the caller is sent to the page that says how to sign in.
struct SignInFirst: HTTPResponseError {
    var status: HTTPResponse.Status { .seeOther }

    func response(from request: Request, context: some RequestContext) throws -> Response { PageLayout.redirect(to: "/signin") }
}
