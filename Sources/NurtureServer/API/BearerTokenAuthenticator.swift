import Hummingbird
import HummingbirdAuth
import NurtureStore
import NurtureTokens

/// Finds the caller of an API route from `Authorization: Bearer nt_...`: the token's SHA-256 is
/// looked up in the store, and a known, unrevoked token makes the caller its source or its rep.
/// A header that is missing or malformed, or a token unknown or revoked, leaves the caller
/// unknown; `CallerRequirement` then answers 401.
struct BearerTokenAuthenticator: AuthenticatorMiddleware {
    typealias Context = WebContext
    let store: any WebStore

    func authenticate(request: Request, context: WebContext) async throws -> Caller? {
        guard let token = Self.token(in: request.headers) else { return nil }
        let hash = BearerToken.hash(token)
        let store = store
        guard let record = try await Blocking.run({ try store.activeAPIToken(hash: hash) }) else { return nil }
        switch record.kind {
        case .source: return .source(name: record.name)
        case .rep: return .rep(email: record.name)
        }
    }

    /// The token of a `Bearer` header (the scheme in any case, RFC 7235), when it has a token's
    /// shape: anything else is refused before the store is asked.
    static func token(in headers: HTTPFields) -> Substring? {
        guard let value = headers[.authorization], value.utf8.count <= 512 else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].drop { $0 == " " }
        return BearerToken.isWellFormed(token) ? token : nil
    }
}
