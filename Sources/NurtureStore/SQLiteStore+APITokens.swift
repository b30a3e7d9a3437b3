import Foundation
import GRDB

extension SQLiteStore: APITokenStore {
    public func addAPIToken(kind: APITokenRecord.Kind, name: String, hash: String, at: Date) throws -> Int64 {
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO api_token (kind, name, hash, created_at) VALUES (?, ?, ?, ?)",
                arguments: [kind.rawValue, name, hash, Self.seconds(at)])
            return db.lastInsertedRowID
        }
    }

    public func apiTokens() throws -> [APITokenRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, kind, name, created_at, revoked_at FROM api_token ORDER BY id").compactMap(Self.apiToken)
        }
    }

    public func activeAPIToken(hash: String) throws -> APITokenRecord? {
        try pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT id, kind, name, created_at, revoked_at FROM api_token WHERE hash = ? AND revoked_at IS NULL",
                arguments: [hash]
            ).flatMap(Self.apiToken)
        }
    }

    public func revokeAPIToken(_ id: Int64, at: Date) throws -> Bool {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [Self.seconds(at), id])
            return db.changesCount > 0
        }
    }

    /// A row of a kind this version does not know is no token it honours.
    static func apiToken(_ row: Row) -> APITokenRecord? {
        guard let kind = APITokenRecord.Kind(rawValue: row["kind"]) else { return nil }
        let revoked: Double? = row["revoked_at"]
        return APITokenRecord(
            id: row["id"], kind: kind, name: row["name"], createdAt: date(row["created_at"]), revokedAt: revoked.map(date))
    }
}
