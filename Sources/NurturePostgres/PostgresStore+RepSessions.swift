import Foundation
import NurtureStore
import PostgresNIO

/// Sign-in links and rep sessions on PostgreSQL: the SQLite store's statements, each call one
/// transaction. Only hashes of the secrets are kept.
extension PostgresStore: RepSessionStore {
    public func addSignInLink(hash: String, email: String, expiresAt: Date, now: Date) throws {
        let email = email.lowercased()
        try transaction { connection in
            try await connection.query("DELETE FROM signin_link WHERE expires_at < \(now.seconds - 86_400)", logger: self.logger)
            try await connection.query(
                """
                INSERT INTO signin_link (hash, email, created_at, expires_at)
                VALUES (\(hash), \(email), \(now.seconds), \(expiresAt.seconds))
                """, logger: self.logger)
            try await connection.query(
                "INSERT INTO audit (at, lead_id, entry) VALUES (\(now.seconds), NULL, \("sign-in link issued to \(email)"))",
                logger: self.logger)
        }
    }

    public func signInLink(hash: String, now: Date) throws -> SignInLinkState {
        try transaction { connection in try await self.linkState(hash: hash, now: now, lock: false, on: connection) }
    }

    /// The link's state; `lock` holds its row until the transaction ends, so that two sign-ins with
    /// the same link at once cannot both find it unused.
    func linkState(hash: String, now: Date, lock: Bool, on connection: PostgresConnection) async throws -> SignInLinkState {
        let locking = lock ? "FOR UPDATE" : ""
        guard let row = try await connection.rows(
            "SELECT email, expires_at, used_at FROM signin_link WHERE hash = \(hash) \(unescaped: locking)", logger: logger
        ).first
        else { return .unknown }
        if try row["used_at", as: Double?.self] != nil { return .used }
        if try row["expires_at", as: Double.self] <= now.seconds { return .expired }
        return .valid(email: try row["email"])
    }

    public func signIn(linkHash: String, sessionHash: String, sessionExpiresAt: Date, now: Date) throws -> SignInLinkState {
        try transaction { connection in
            let state = try await self.linkState(hash: linkHash, now: now, lock: true, on: connection)
            guard case let .valid(email) = state else { return state }
            try await connection.query(
                "UPDATE signin_link SET used_at = \(now.seconds) WHERE hash = \(linkHash) AND used_at IS NULL", logger: self.logger)
            try await connection.query("DELETE FROM rep_session WHERE expires_at <= \(now.seconds)", logger: self.logger)
            try await connection.query(
                """
                INSERT INTO rep_session (hash, email, created_at, expires_at)
                VALUES (\(sessionHash), \(email), \(now.seconds), \(sessionExpiresAt.seconds))
                """, logger: self.logger)
            try await connection.query(
                "INSERT INTO audit (at, lead_id, entry) VALUES (\(now.seconds), NULL, \("\(email) signed in to the web pages"))",
                logger: self.logger)
            return state
        }
    }

    public func sessionEmail(hash: String, now: Date) throws -> String? {
        try transaction { connection in
            try await connection.value(
                "SELECT email FROM rep_session WHERE hash = \(hash) AND expires_at > \(now.seconds)", as: String.self, logger: self.logger)
        }
    }

    public func endSession(hash: String) throws {
        try transaction { connection in
            try await connection.query("DELETE FROM rep_session WHERE hash = \(hash)", logger: self.logger)
        }
    }
}
