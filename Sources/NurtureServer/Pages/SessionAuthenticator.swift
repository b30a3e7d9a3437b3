import Foundation
import Hummingbird
import HummingbirdAuth
import NurtureStore
import NurtureTokens

/// Sets `context.identity` from the session cookie: a session that is stored, unexpired, and
/// whose address lifecycle.yml still lists as a rep or an operator. Taking someone out of
/// lifecycle.yml (and restarting the service) ends their access whatever their cookie says.
struct SessionAuthenticator: AuthenticatorMiddleware {
    typealias Context = WebContext
    let store: any WebStore
    let settings: RepPagesSettings

    func authenticate(request: Request, context: WebContext) async throws -> Caller? {
        guard let secret = SessionCookie.secret(in: request) else { return nil }
        let store = store, hash = secret.hash
        guard let email = try await Blocking.run({ try store.sessionEmail(hash: hash, now: Date()) }) else { return nil }
        return settings.caller(email: email)
    }
}
