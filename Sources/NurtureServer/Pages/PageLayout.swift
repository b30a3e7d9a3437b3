import Foundation
import Hummingbird
import Mustache

/// The signed-in pages' frame, from the Mustache templates in ``PageTemplates``: the same modest
/// style as ``Page``, a little wider for tables, and a header with the caller's address, their
/// pages and a sign-out button. Every answer is uncacheable, not framable, loads nothing from
/// elsewhere, and sends no referrer (a sign-in link's URL must not leak to another site).
enum PageLayout {
    /// Who the header is for; nil on the sign-in pages.
    struct Header {
        var email: String
        var csrf: String
        var isOperator: Bool
    }

    static func response(title: String, body: String, header: Header? = nil, status: HTTPResponse.Status = .ok) -> Response {
        var context: [String: Any] = ["title": title, "content": body]
        if let header {
            context["header"] = ["email": header.email, "csrf": header.csrf, "operator": header.isOperator] as [String: Any]
        }
        return html(PageTemplates.render("layout", context), status: status)
    }

    /// A whole page written elsewhere (the team's ledger), with the pages' headers.
    static func html(_ page: String, status: HTTPResponse.Status = .ok) -> Response {
        var response = Page.response(page, type: "text/html; charset=utf-8", status: status)
        response.headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        return response
    }

    static func redirect(to path: String) -> Response {
        var response = Response.redirect(to: path, type: .normal)
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
