import Foundation

/// How the web pages know who is signed in: one-time sign-in links and the sessions they start.
/// Only hashes of the secrets are kept (see `SecretToken` in NurtureTokens), so a copy of the store
/// signs nobody in. A PostgreSQL store implements the same calls; each is one statement or one
/// transaction.
public protocol RepSessionStore: Sendable {
    /// Records a sign-in link for `email`, usable once until `expiresAt`. Links that expired more
    /// than a day before `now` are deleted on the way.
    func addSignInLink(hash: String, email: String, expiresAt: Date, now: Date) throws

    /// What a link can do now, without using it: a GET of the link must not consume it.
    func signInLink(hash: String, now: Date) throws -> SignInLinkState

    /// Uses the link and starts a session in one transaction: the link is marked used only if it
    /// was unused and unexpired, and then the session is stored. Anything else changes nothing
    /// and says why. Expired sessions are deleted on the way.
    func signIn(linkHash: String, sessionHash: String, sessionExpiresAt: Date, now: Date) throws -> SignInLinkState

    /// The address a session belongs to, while it has not expired or ended.
    func sessionEmail(hash: String, now: Date) throws -> String?

    /// Ends a session (signing out); ending one that is gone changes nothing.
    func endSession(hash: String) throws
}

/// What a sign-in link is, or was, good for.
public enum SignInLinkState: Equatable, Sendable {
    /// Unused and unexpired (for `signIn`: it has just been used for this address).
    case valid(email: String)
    case used
    case expired
    /// No such link: mistyped, forged or long gone.
    case unknown
}
