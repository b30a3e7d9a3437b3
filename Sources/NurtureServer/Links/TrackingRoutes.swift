import Foundation
import Hummingbird
import NurtureMail
import NurtureOperations
import NurtureStore
import NurtureTokens

/// Signed click and open tracking, the links of sequences with `tracking: true`.
///
/// - `GET /t/c/TOKEN` records the click and answers 302 to the address stored for that message
///   and link when it was sent: never to an address from the request, so the service is no open
///   redirect. A token that is forged, altered, signed by a retired key, for another purpose, or
///   for a message or link with no stored address gets 404 and records nothing.
/// - `GET /t/o/TOKEN` records the open and always answers a transparent GIF, never cached (a bad
///   token records nothing).
/// - `HEAD` is answered as `GET` and recorded as a machine's.
///
/// Each event is classified by ``EngagementClassifier`` and reaches the engine through the lead's
/// inbox, with category `machine` for a machine's, which the engine does not score.
struct TrackingRoutes: Sendable {
    let store: any WebStore
    let keyring: Keyring
    /// The time an event is recorded at (the service's clock; tests fix it).
    let now: @Sendable () -> Date

    /// Longest user agent looked at; the rest is ignored.
    static let maxUserAgent = 512
    /// Longest client address taken from `X-Forwarded-For` (an IPv6 address has at most 45 characters).
    static let maxAddress = 64

    func add(to router: Router<WebContext>) {
        router.get("/t/c/:token") { request, context in try await click(request, context, method: .get) }
        router.head("/t/c/:token") { request, context in try await click(request, context, method: .head) }
        router.get("/t/o/:token") { request, context in await open(request, context, method: .get) }
        router.head("/t/o/:token") { request, context in await open(request, context, method: .head) }
    }

    static let notFound = Page.html(
        title: "Link not valid", body: "<h1>This link is not valid</h1><p>It may have been copied incompletely.</p>", status: .notFound)

    func click(_ request: Request, _ context: WebContext, method: EngagementClassifier.Method) async throws -> Response {
        guard let token = context.parameters.get("token"), let claims = LinkToken.verify(token, for: .click, with: keyring),
              let link = claims.link, (0..<TrackingLinks.maxLinks).contains(link)
        else { return Self.notFound }
        let desk = TrackingDesk(store: store), caller = Self.caller(request, method: method)
        let recorded = try await desk.click(leadID: claims.leadID, messageKey: claims.messageKey, link: link, caller: caller, at: now())
        // Checked again on the way out: only an http(s) address fit for a header is ever sent.
        guard let url = recorded?.url, TrackingLinks.isTrackable(url) else { return Self.notFound }
        var headers = HTTPFields()
        headers[.location] = url
        headers[.cacheControl] = "no-store"
        headers[.init("Referrer-Policy")!] = "no-referrer"
        return Response(status: .found, headers: headers)
    }

    func open(_ request: Request, _ context: WebContext, method: EngagementClassifier.Method) async -> Response {
        if let token = context.parameters.get("token"), let claims = LinkToken.verify(token, for: .open, with: keyring) {
            let desk = TrackingDesk(store: store), caller = Self.caller(request, method: method)
            do {
                _ = try await desk.open(leadID: claims.leadID, messageKey: claims.messageKey, caller: caller, at: now())
            } catch {
                // The image is answered whatever happened: a broken image helps no one.
                context.logger.error("could not record an open: \(error)")
            }
        }
        var headers = HTTPFields()
        headers[.contentType] = "image/gif"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: Self.pixel)))
    }

    /// A 1x1 transparent GIF, 43 bytes.
    static let pixel: [UInt8] = [
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x21, 0xF9,
        0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00,
        0x3B,
    ]

    /// The facts the classifier reads from a request. The service sits behind an HTTPS front end,
    /// so the client's address is the last one in `X-Forwarded-For`, the one the front end added.
    static func caller(_ request: Request, method: EngagementClassifier.Method) -> TrackingDesk.Caller {
        let agent = request.headers[.userAgent].map { String($0.prefix(maxUserAgent)) }
        let address = request.headers[.init("X-Forwarded-For")!]?.split(separator: ",").last
            .map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.utf8.count <= maxAddress ? $0 : nil }
        return TrackingDesk.Caller(method: method, userAgent: agent, remoteAddress: address)
    }
}
