import Foundation

/// A bearer token of the API as the store keeps it: who it stands for, never the token itself
/// (only its SHA-256, which no call here gives back).
public struct APITokenRecord: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// A system that sends events (a CRM, a form tool), named by `name`.
        case source
        /// A rep, by their email in `name` (lowercased).
        case rep
    }

    public var id: Int64
    public var kind: Kind
    public var name: String
    public var createdAt: Date
    public var revokedAt: Date?

    public init(id: Int64, kind: Kind, name: String, createdAt: Date, revokedAt: Date?) {
        self.id = id
        self.kind = kind
        self.name = name
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

/// The API's bearer tokens, by the SHA-256 of each. A PostgreSQL store keeps the same table.
public protocol APITokenStore {
    /// Records a token by its hash and returns its id.
    func addAPIToken(kind: APITokenRecord.Kind, name: String, hash: String, at: Date) throws -> Int64
    /// Every token, revoked ones too, oldest first.
    func apiTokens() throws -> [APITokenRecord]
    /// The token with this hash, unless it is unknown or revoked.
    func activeAPIToken(hash: String) throws -> APITokenRecord?
    /// Revokes a token from `at` on. False when there is no such token or it was revoked already.
    func revokeAPIToken(_ id: Int64, at: Date) throws -> Bool
}
