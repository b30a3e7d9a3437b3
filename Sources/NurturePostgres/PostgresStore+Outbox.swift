import Foundation
import NurtureCore
import NurtureStore
import PostgresNIO

/// The outbox of sends on PostgreSQL: claimed in batches from the hot `send_ready` table.
///
/// A claim locks up to `limit` ready rows that no other transaction holds (`FOR UPDATE SKIP
/// LOCKED`, inside a CTE so that `LIMIT` applies before the locks), leases them, and marks their
/// sends as being sent, all in one statement committed before any SMTP traffic. The lease is the
/// heartbeat's deadline: a process that dies holding it leaves the row leased until `leaseUntil`,
/// after which `rescueExpiredSends` (the reaper, run at every pass) puts it back.
extension PostgresStore {
    public func rescueExpiredSends(now: Date) throws -> Int {
        try transaction { connection in
            try await connection.value(
                """
                WITH expired AS (
                    UPDATE send_ready SET lease_until = NULL WHERE lease_until < \(now.seconds) RETURNING key),
                reset AS (
                    UPDATE send SET status = 'pending', lease_until = NULL FROM expired WHERE send.key = expired.key)
                SELECT COUNT(*) FROM expired
                """, as: Int.self, logger: self.logger) ?? 0
        }
    }

    /// With a `rate`, the allowance row is locked (`FOR UPDATE`) for the claim's transaction: the
    /// schedulers draw on it in turn, and only while a rate limit is set.
    public func claimDueSends(now: Date, limit: Int, leaseUntil: Date, rate: SendRate?) throws -> [QueuedSend] {
        let rows = try transaction { connection in
            guard let rate else {
                return try await connection.rows(Self.claimQuery(now: now, limit: limit, leaseUntil: leaseUntil), logger: self.logger)
            }
            let stored = try await connection.rows("SELECT tokens, at FROM send_allowance WHERE id = 1 FOR UPDATE", logger: self.logger).first
            var allowance = SendAllowance(
                tokens: try stored?["tokens", as: Double.self] ?? 0, at: Date(timeIntervalSince1970: try stored?["at", as: Double.self] ?? 0))
            let granted = allowance.grant(upTo: limit, at: now, rate: rate)
            let rows = granted > 0
                ? try await connection.rows(Self.claimQuery(now: now, limit: granted, leaseUntil: leaseUntil), logger: self.logger) : []
            allowance.giveBack(granted - rows.count, rate: rate)
            try await connection.query(
                "UPDATE send_allowance SET tokens = \(allowance.tokens), at = \(allowance.at.seconds) WHERE id = 1", logger: self.logger)
            return rows
        }
        // A batch has a handful of senders and reply-tos between them: each is decoded once.
        var people: [Data: Rep] = [:]
        func person(_ blob: Data?) throws -> Rep? {
            guard let blob else { return nil }
            if let known = people[blob] { return known }
            let rep = try StoredForms.rep(from: blob)
            people[blob] = rep
            return rep
        }
        return try rows.map { row in
            QueuedSend.stored(
                key: try row["key"], leadID: try row["lead_id"], sequence: try row["sequence"], step: try row["step"],
                template: try row["template"], enrolledAt: Date(timeIntervalSince1970: try row["enrolled_at"]),
                dueAt: Date(timeIntervalSince1970: try row["due_at"]), from: try person(try row["sender"]),
                replyTo: try person(try row["reply_to"]), status: QueuedSend.Status(rawValue: try row["status"]) ?? .pending,
                attempts: try row["attempts"], firstAttemptAt: try row.date("first_attempt_at"))
        }
    }

    /// The claim: lock the earliest ready rows no one else holds, lease them, and mark their sends.
    /// `send_ready_due` (on `next_attempt_at` where `lease_until IS NULL`) answers the inner select
    /// in index order, stopping after `limit` rows it could lock.
    static func claimQuery(now: Date, limit: Int, leaseUntil: Date) -> PostgresQuery {
        """
        WITH picked AS (
            SELECT key FROM send_ready
            WHERE lease_until IS NULL AND next_attempt_at <= \(now.seconds)
            ORDER BY next_attempt_at LIMIT \(limit)
            FOR UPDATE SKIP LOCKED),
        leased AS (
            UPDATE send_ready SET lease_until = \(leaseUntil.seconds) FROM picked WHERE send_ready.key = picked.key
            RETURNING send_ready.key)
        UPDATE send SET status = 'sending', lease_until = \(leaseUntil.seconds), attempts = attempts + 1,
            first_attempt_at = COALESCE(first_attempt_at, \(now.seconds))
        FROM leased WHERE send.key = leased.key
        RETURNING send.key, lead_id, sequence, step, template, enrolled_at, due_at, sender, reply_to, status, attempts, first_attempt_at
        """
    }

    public func record(_ outcome: SendOutcome, for key: String, now: Date) throws {
        try transaction { connection in try await self.record(outcome, for: key, now: now, on: connection) }
    }

    /// `record`, inside a transaction the caller holds. A finished send leaves the hot table; a
    /// retried or deferred one goes back into it, unleased, at its next attempt.
    func record(_ outcome: SendOutcome, for key: String, now: Date, on connection: PostgresConnection) async throws {
        let at = now.seconds
        switch outcome {
        case let .sent(messageID, code, text):
            try await connection.query(
                """
                UPDATE send SET status = 'sent', lease_until = NULL, message_id = \(messageID), last_code = \(code), last_text = \(text),
                    finished_at = \(at) WHERE key = \(key)
                """, logger: logger)
        case let .retry(retryAt, code, text):
            try await connection.query(
                """
                UPDATE send SET status = 'pending', lease_until = NULL, next_attempt_at = \(retryAt.seconds), last_code = \(code),
                    last_text = \(text) WHERE key = \(key)
                """, logger: logger)
        case let .deferred(until, reason):
            try await connection.query(
                """
                UPDATE send SET status = 'pending', lease_until = NULL, next_attempt_at = \(until.seconds), attempts = attempts - 1,
                    last_text = \(reason) WHERE key = \(key)
                """, logger: logger)
        case let .failed(code, text, suppress):
            try await connection.query(
                """
                UPDATE send SET status = 'failed', lease_until = NULL, last_code = \(code), last_text = \(text), finished_at = \(at)
                WHERE key = \(key)
                """, logger: logger)
            try await reportUndelivered(key, now: now, on: connection)
            if suppress, let email = try await connection.value(
                "SELECT lead.email FROM send JOIN lead ON lead.id = send.lead_id WHERE send.key = \(key)", as: String.self, logger: logger) {
                try await self.suppress(email, reason: "hard bounce: \(code) \(text)", at: now, on: connection)
            }
        case let .cancelled(reason):
            try await connection.query(
                "UPDATE send SET status = 'cancelled', lease_until = NULL, last_text = \(reason), finished_at = \(at) WHERE key = \(key)",
                logger: logger)
        }
        switch outcome {
        case .retry, .deferred:
            try await connection.query(
                """
                INSERT INTO send_ready (key, next_attempt_at) SELECT key, next_attempt_at FROM send WHERE key = \(key)
                ON CONFLICT (key) DO UPDATE SET next_attempt_at = EXCLUDED.next_attempt_at, lease_until = NULL
                """, logger: logger)
        case .sent, .failed, .cancelled:
            try await connection.query("DELETE FROM send_ready WHERE key = \(key)", logger: logger)
        }
        try await connection.query(
            "INSERT INTO audit (at, lead_id, entry) SELECT \(at), lead_id, \("send \(key): \(StoredForms.auditText(outcome))") FROM send WHERE key = \(key)",
            logger: logger)
    }

    /// Tells the engine, through the lead's inbox, that a send was never accepted, so that the
    /// frequency cap stops counting it.
    private func reportUndelivered(_ key: String, now: Date, on connection: PostgresConnection) async throws {
        guard let row = try await connection.rows("SELECT lead_id, due_at FROM send WHERE key = \(key)", logger: logger).first else { return }
        _ = try await insert(
            [InboxItem(id: "undelivered|\(key)", leadID: try row["lead_id"], at: now,
                       payload: .undelivered(sentAt: Date(timeIntervalSince1970: try row["due_at"])))],
            on: connection)
    }

    /// Emails each sender (by lowercased address) had sent since `since`: the rolling send cap,
    /// counted across every process that sends.
    public func sentCounts(senders: [String], since: Date) throws -> [String: Int] {
        guard !senders.isEmpty else { return [:] }
        let unique = Array(Set(senders.map { $0.lowercased() }))
        return try transaction { connection -> [String: Int] in
            var counts: [String: Int] = [:]
            for try await (sender, sent) in try await connection.query(
                """
                SELECT sender_email, COUNT(*) FROM send
                WHERE status = 'sent' AND finished_at >= \(since.seconds) AND sender_email = ANY(\(unique))
                GROUP BY sender_email
                """, logger: self.logger).decode((String, Int).self) {
                counts[sender] = sent
            }
            return counts
        }
    }
}
