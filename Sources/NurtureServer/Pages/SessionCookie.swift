import Foundation
import Hummingbird
import NurtureTokens

/// The session cookie: the session's secret, `HttpOnly` (no script reads it), `SameSite=Lax` (no
/// other site's form post carries it), `Path=/`, and `Secure` when the public address is https.
enum SessionCookie {
    static let name = "nurture_session"

    /// The session secret the request carries, if it is well formed; anything else is no session.
    static func secret(in request: Request) -> SecretToken? {
        request.cookies[name].flatMap { SecretToken($0.value) }
    }

    static func set(_ secret: SecretToken, secure: Bool) -> Cookie {
        Cookie(name: name, value: secret.text, maxAge: Int(RepPagesSettings.sessionLifetime), path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// Tells the browser to forget the cookie (signing out).
    static func cleared(secure: Bool) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}
