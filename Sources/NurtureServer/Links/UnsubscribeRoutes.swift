import Foundation
import Hummingbird
import NurtureStore
import NurtureTokens

/// One-click unsubscribe (RFC 8058) at `/unsubscribe?t=TOKEN`, the URL every email's
/// `List-Unsubscribe` header and footer link carry.
///
/// - `POST` with `List-Unsubscribe=One-Click` (form-urlencoded or multipart) unsubscribes at once:
///   no cookie, no login, idempotent, 200 and no redirect, as mailbox providers require.
/// - `GET` shows a page with a button and never unsubscribes by itself: link scanners fetch
///   every URL in a message.
/// - A token that is forged, altered, or signed by an unknown key gets 404 and changes nothing.
struct UnsubscribeRoutes: Sendable {
    let store: any WebStore
    let keyring: Keyring

    func add(to router: Router<WebContext>) {
        router.get("/unsubscribe") { request, _ in confirmation(request) }
        router.post("/unsubscribe") { request, _ in try await unsubscribe(request) }
    }

    func claims(_ request: Request) -> LinkToken.Claims? {
        request.uri.queryParameters.get("t").flatMap { LinkToken.verify($0, for: .unsubscribe, with: keyring) }
    }

    static let notFound = Page.html(
        title: "Link not valid", body: "<h1>This link is not valid</h1><p>It may have been copied incompletely.</p>", status: .notFound)

    func confirmation(_ request: Request) -> Response {
        guard claims(request) != nil, let token = request.uri.queryParameters.get("t") else { return Self.notFound }
        return Page.html(title: "Unsubscribe", body: """
            <h1>Unsubscribe</h1>
            <p>Press the button to stop receiving these emails.</p>
            <form method="post" action="/unsubscribe?t=\(Page.escape(String(token)))">
            <input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button>
            </form>
            """)
    }

    func unsubscribe(_ request: Request) async throws -> Response {
        guard let claims = claims(request) else { return Self.notFound }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: WebService.maxBodyBytes)
        } catch {
            return Page.text("the body is larger than \(WebService.maxBodyBytes) bytes\n", status: .contentTooLarge)
        }
        guard Self.isOneClick(String(buffer: body)) else {
            return Page.text("expected the body List-Unsubscribe=One-Click\n", status: .badRequest)
        }
        let store = store
        let recorded = try await Blocking.run { try store.recordUnsubscribe(leadID: claims.leadID, messageKey: claims.messageKey, at: Date()) }
        guard recorded else { return Self.notFound }
        return Page.html(title: "Unsubscribed", body: "<h1>You are unsubscribed</h1><p>You will not receive these emails again.</p>")
    }

    /// The RFC 8058 body, as a form-urlencoded field or a multipart part whose value is One-Click.
    static func isOneClick(_ body: String) -> Bool {
        let form = body.split(separator: "&").contains { $0.trimmingCharacters(in: .whitespacesAndNewlines) == "List-Unsubscribe=One-Click" }
        // The part named List-Unsubscribe: its headers end at the first blank line, its value follows.
        guard !form, let name = body.range(of: "name=\"List-Unsubscribe\""),
              let blank = body.range(of: "\r\n\r\n", range: name.upperBound..<body.endIndex)
        else { return form }
        return body[blank.upperBound...].hasPrefix("One-Click\r\n")
    }
}
