import Foundation
import Hummingbird
import NurtureStore
import NurtureTokens

/// Signing in by a one-time link, and out.
///
/// - `GET /signin/TOKEN` only shows a Sign in button: mail scanners fetch every link in a message,
///   and must not use it up.
/// - `POST /signin/TOKEN` uses the link (once, before it expires) and starts a session: a new
///   random secret in an `HttpOnly; SameSite=Lax` cookie, its hash in the store. A used link gets
///   410, an expired one 410, anything else 404; none of them changes anything.
/// - `POST /signout` (with the form's CSRF token) ends the session.
/// - `GET /signin` is where pages send a caller without a session.
struct SignInRoutes: Sendable {
    let store: any WebStore
    let settings: RepPagesSettings

    func add(to router: Router<WebContext>, authenticator: SessionAuthenticator) {
        router.get("/signin") { _, _ in Self.askForALink }
        router.get("/signin/:token") { _, context in try await show(context) }
        router.post("/signin/:token") { _, context in try await signIn(context) }
        router.group("signout").add(middleware: authenticator).post { request, context in try await signOut(request, context) }
    }

    static var askForALink: Response {
        PageLayout.response(title: "Sign in", body: """
            <h1>Sign in to Nurture</h1>
            <p>These pages open with a sign-in link. Ask your marketing ops team to send you one: it arrives \
            by email, works once, and expires after \(Int(RepPagesSettings.linkLifetime / 60)) minutes.</p>
            """)
    }

    /// The token in the path, checked for its shape before the store is asked.
    func token(_ context: WebContext) throws -> SecretToken {
        guard let text = context.parameters.get("token"), let token = SecretToken(text) else { throw Self.refusal(for: .unknown) }
        return token
    }

    static func refusal(for state: SignInLinkState) -> PageRefusal {
        switch state {
        case .used:
            PageRefusal(status: .gone, title: "Link already used", message: "This sign-in link has been used. Ask your marketing ops team for a new one.", linksBack: false)
        case .expired:
            PageRefusal(status: .gone, title: "Link expired", message: "This sign-in link has expired. Ask your marketing ops team for a new one.", linksBack: false)
        case .unknown, .valid:
            PageRefusal(status: .notFound, title: "Link not valid", message: "This sign-in link is not valid. It may have been copied incompletely.", linksBack: false)
        }
    }

    func show(_ context: WebContext) async throws -> Response {
        let hash = try token(context).hash, store = store
        let state = try await Blocking.run { try store.signInLink(hash: hash, now: Date()) }
        guard case let .valid(email) = state else { throw Self.refusal(for: state) }
        return PageLayout.response(title: "Sign in", body: PageTemplates.render("signin", ["email": email]))
    }

    func signIn(_ context: WebContext) async throws -> Response {
        let hash = try token(context).hash, store = store
        let secret = SecretToken.random()
        let now = Date()
        // Someone taken out of lifecycle.yml since the link was sent gets no session.
        if case let .valid(email) = try await Blocking.run({ try store.signInLink(hash: hash, now: now) }), settings.caller(email: email) == nil {
            throw PageRefusal(status: .forbidden, title: "Not signed in", message: "This address is no longer listed for these pages.", linksBack: false)
        }
        let state = try await Blocking.run {
            try store.signIn(linkHash: hash, sessionHash: secret.hash, sessionExpiresAt: now.addingTimeInterval(RepPagesSettings.sessionLifetime), now: now)
        }
        guard case let .valid(email) = state else { throw Self.refusal(for: state) }
        var response = PageLayout.redirect(to: settings.caller(email: email).map { if case .marketingOps = $0 { "/team" } else { "/rep" } } ?? "/signin")
        response.setCookie(SessionCookie.set(secret, secure: settings.secureCookies))
        return response
    }

    func signOut(_ request: Request, _ context: WebContext) async throws -> Response {
        guard context.identity != nil, let secret = SessionCookie.secret(in: request) else { throw PageRefusal.forbidden }
        _ = try await FormPost.read(request)
        let store = store, hash = secret.hash
        try await Blocking.run { try store.endSession(hash: hash) }
        var response = PageLayout.redirect(to: "/signin")
        response.setCookie(SessionCookie.cleared(secure: settings.secureCookies))
        return response
    }
}
