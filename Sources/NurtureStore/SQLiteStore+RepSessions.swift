import Foundation
import GRDB

/// Sign-in links and rep sessions in SQLite.
extension SQLiteStore: RepSessionStore {
    public func addSignInLink(hash: String, email: String, expiresAt: Date, now: Date) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM signin_link WHERE expires_at < ?", arguments: [Self.seconds(now) - 86_400])
            try db.execute(
                sql: "INSERT INTO signin_link (hash, email, created_at, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [hash, email.lowercased(), Self.seconds(now), Self.seconds(expiresAt)])
            try db.execute(
                sql: "INSERT INTO audit (at, lead_id, entry) VALUES (?, NULL, ?)",
                arguments: [Self.seconds(now), "sign-in link issued to \(email.lowercased())"])
        }
    }

    public func signInLink(hash: String, now: Date) throws -> SignInLinkState {
        try pool.read { db in try Self.linkState(hash: hash, now: now, db: db) }
    }

    static func linkState(hash: String, now: Date, db: Database) throws -> SignInLinkState {
        guard let row = try Row.fetchOne(db, sql: "SELECT email, expires_at, used_at FROM signin_link WHERE hash = ?", arguments: [hash])
        else { return .unknown }
        if (row["used_at"] as Double?) != nil { return .used }
        if (row["expires_at"] as Double) <= seconds(now) { return .expired }
        return .valid(email: row["email"])
    }

    public func signIn(linkHash: String, sessionHash: String, sessionExpiresAt: Date, now: Date) throws -> SignInLinkState {
        try pool.write { db in
            let state = try Self.linkState(hash: linkHash, now: now, db: db)
            guard case let .valid(email) = state else { return state }
            try db.execute(
                sql: "UPDATE signin_link SET used_at = ? WHERE hash = ? AND used_at IS NULL", arguments: [Self.seconds(now), linkHash])
            try db.execute(sql: "DELETE FROM rep_session WHERE expires_at <= ?", arguments: [Self.seconds(now)])
            try db.execute(
                sql: "INSERT INTO rep_session (hash, email, created_at, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [sessionHash, email, Self.seconds(now), Self.seconds(sessionExpiresAt)])
            try db.execute(
                sql: "INSERT INTO audit (at, lead_id, entry) VALUES (?, NULL, ?)",
                arguments: [Self.seconds(now), "\(email) signed in to the web pages"])
            return state
        }
    }

    public func sessionEmail(hash: String, now: Date) throws -> String? {
        try pool.read { db in
            try String.fetchOne(
                db, sql: "SELECT email FROM rep_session WHERE hash = ? AND expires_at > ?", arguments: [hash, Self.seconds(now)])
        }
    }

    public func endSession(hash: String) throws {
        try pool.write { db in try db.execute(sql: "DELETE FROM rep_session WHERE hash = ?", arguments: [hash]) }
    }
}
