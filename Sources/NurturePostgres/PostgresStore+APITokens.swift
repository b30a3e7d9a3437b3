import Foundation
import NurtureStore
import PostgresNIO

/// The API's bearer tokens on PostgreSQL, by the SHA-256 of each, as in the SQLite store.
extension PostgresStore: APITokenStore {
    public func addAPIToken(kind: APITokenRecord.Kind, name: String, hash: String, at: Date) throws -> Int64 {
        try transaction { connection in
            guard let id = try await connection.value(
                "INSERT INTO api_token (kind, name, hash, created_at) VALUES (\(kind.rawValue), \(name), \(hash), \(at.seconds)) RETURNING id",
                as: Int64.self, logger: self.logger)
            else { throw Failure(description: "PostgreSQL returned no id for a new API token") }
            return id
        }
    }

    public func apiTokens() throws -> [APITokenRecord] {
        let rows = try transaction { connection in
            try await connection.rows("SELECT id, kind, name, created_at, revoked_at FROM api_token ORDER BY id", logger: self.logger)
        }
        return try rows.compactMap(Self.apiToken)
    }

    public func activeAPIToken(hash: String) throws -> APITokenRecord? {
        let rows = try transaction { connection in
            try await connection.rows(
                "SELECT id, kind, name, created_at, revoked_at FROM api_token WHERE hash = \(hash) AND revoked_at IS NULL",
                logger: self.logger)
        }
        return try rows.first.flatMap(Self.apiToken)
    }

    public func revokeAPIToken(_ id: Int64, at: Date) throws -> Bool {
        try transaction { connection in
            try await connection.execute(
                "UPDATE api_token SET revoked_at = \(at.seconds) WHERE id = \(id) AND revoked_at IS NULL RETURNING 1", logger: self.logger) > 0
        }
    }

    /// A row of a kind this version does not know is no token it honours.
    static func apiToken(_ row: PostgresRandomAccessRow) throws -> APITokenRecord? {
        guard let kind = APITokenRecord.Kind(rawValue: try row["kind"]) else { return nil }
        return APITokenRecord(
            id: try row["id"], kind: kind, name: try row["name"], createdAt: Date(timeIntervalSince1970: try row["created_at"]),
            revokedAt: try row.date("revoked_at"))
    }
}
