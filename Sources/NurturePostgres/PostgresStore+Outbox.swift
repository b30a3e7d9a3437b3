import Foundation
import NurtureCore
import NurtureStore
import PostgresNIO

/// The outbox of sends on PostgreSQL: claimed in batches from the hot `send_ready` table.
///
/// A claim locks up to `limit` ready rows that no other transaction holds (`FOR UPDATE SKIP
/// LOCKED`, inside a CTE so that `LIMIT` applies before the locks), leases them and counts the
/// attempt on them, all in one statement committed before any SMTP traffic. It writes only the hot
/// table: the history row in `send` is read, never updated, until the outcome is recorded, which
/// carries the attempts back to it. The lease is the heartbeat's deadline: a process that dies
/// holding it leaves the row leased until `leaseUntil`, after which `rescueExpiredSends` (the
/// reaper, run at every pass) puts it back.
extension PostgresStore {
    public func rescueExpiredSends(now: Date) throws -> Int {
        try statement { connection in
            try await connection.value(
                """
                WITH expired AS (UPDATE send_ready SET lease_until = NULL WHERE lease_until < \(now.seconds) RETURNING 1)
                SELECT COUNT(*) FROM expired
                """, as: Int.self, logger: self.logger) ?? 0
        }
    }

    /// Without a rate the claim is one statement on its own. With a `rate`, the allowance row is
    /// locked (`FOR UPDATE`) for the claim's transaction: the schedulers draw on it in turn, and
    /// only while a rate limit is set.
    public func claimDueSends(now: Date, limit: Int, leaseUntil: Date, rate: SendRate?) throws -> [QueuedSend] {
        let rows = try rate.map { rate in
            try transaction { connection in
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
        } ?? statement { connection in
            try await connection.rows(Self.claimQuery(now: now, limit: limit, leaseUntil: leaseUntil), logger: self.logger)
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
                replyTo: try person(try row["reply_to"]), status: .sending,
                attempts: try row["attempts"], firstAttemptAt: try row.date("first_attempt_at"))
        }
    }

    /// The claim: lock the earliest ready rows no one else holds, lease them and count the attempt,
    /// then read their sends. `send_ready_due` (on `next_attempt_at` where `lease_until IS NULL`)
    /// answers the inner select in index order, stopping after `limit` rows it could lock.
    static func claimQuery(now: Date, limit: Int, leaseUntil: Date) -> PostgresQuery {
        """
        WITH picked AS (
            SELECT key FROM send_ready
            WHERE lease_until IS NULL AND next_attempt_at <= \(now.seconds)
            ORDER BY next_attempt_at LIMIT \(limit)
            FOR UPDATE SKIP LOCKED),
        leased AS (
            UPDATE send_ready SET lease_until = \(leaseUntil.seconds), attempts = send_ready.attempts + 1,
                first_attempt_at = COALESCE(send_ready.first_attempt_at, \(now.seconds))
            FROM picked WHERE send_ready.key = picked.key
            RETURNING send_ready.key, send_ready.attempts, send_ready.first_attempt_at)
        SELECT send.key, lead_id, sequence, step, template, enrolled_at, due_at, sender, reply_to,
            leased.attempts, leased.first_attempt_at
        FROM leased JOIN send ON send.key = leased.key
        """
    }

    public func record(_ outcome: SendOutcome, for key: String, now: Date) throws {
        try transaction { connection in try await self.record(outcome, for: key, now: now, on: connection) }
    }

    /// `record`, inside a transaction the caller holds. A finished send leaves the hot table; a
    /// retried or deferred one goes back into it, unleased, at its next attempt. Either way the hot
    /// row's attempts go back to `send` with the outcome.
    func record(_ outcome: SendOutcome, for key: String, now: Date, on connection: PostgresConnection) async throws {
        let at = now.seconds
        let ready = try await connection.rows(Self.readyUpdate(outcome, key: key), logger: logger).first
        let attempts = try ready.map { Attempts(count: try $0["attempts"], first: try $0["first_attempt_at"]) }
        try await connection.query(Self.outcomeUpdate(outcome, of: .send, key: key, now: now, attempts: attempts), logger: logger)
        if case let .failed(code, text, suppress) = outcome {
            try await reportUndelivered(key, now: now, on: connection)
            if suppress, let email = try await connection.value(
                "SELECT lead.email FROM send JOIN lead ON lead.id = send.lead_id WHERE send.key = \(key)", as: String.self, logger: logger) {
                try await self.suppress(email, reason: "hard bounce: \(code) \(text)", at: now, on: connection)
            }
        }
        try await connection.query(
            "INSERT INTO audit (at, lead_id, entry) SELECT \(at), lead_id, \("send \(key): \(StoredForms.auditText(outcome))") FROM send WHERE key = \(key)",
            logger: logger)
    }

    /// What an outcome does to a send's hot row, returning the attempts it kept: a finished send
    /// leaves the table; a retried or deferred one is unleased with its next attempt (put back if
    /// the row is gone; a deferral was no attempt, so it is not counted).
    static func readyUpdate(_ outcome: SendOutcome, key: String) -> PostgresQuery {
        let next: Date
        var counted = "send_ready.attempts"
        switch outcome {
        case .sent, .failed, .cancelled:
            return "DELETE FROM send_ready WHERE key = \(key) RETURNING attempts, first_attempt_at"
        case let .retry(at, _, _):
            next = at
        case let .deferred(until, _):
            next = until
            counted += " - 1"
        }
        return """
            INSERT INTO send_ready (key, next_attempt_at, attempts, first_attempt_at)
            SELECT key, \(next.seconds), attempts, first_attempt_at FROM send WHERE key = \(key)
            ON CONFLICT (key) DO UPDATE SET next_attempt_at = EXCLUDED.next_attempt_at, lease_until = NULL,
                attempts = \(unescaped: counted)
            RETURNING attempts, first_attempt_at
            """
    }

    /// The sends among `records` that were sent, in one statement whatever their number: their
    /// rows updated and taken out of the hot table, with their audit lines and links. The rest,
    /// rarer and each with its own follow-ups (a bounce's suppression, a retry's requeue), one by
    /// one on the same connection.
    func record(_ records: [OutcomeRecord], now: Date, on connection: PostgresConnection) async throws {
        var sent = SentRecords(at: now.seconds)
        var links: [String: [String]] = [:]
        for record in records {
            guard case let .sent(messageID, code, text) = record.outcome else {
                try await self.record(record.outcome, for: record.key, now: now, on: connection)
                continue
            }
            sent.keys.append(record.key)
            sent.messageIDs.append(messageID)
            sent.codes.append(Int32(clamping: code))
            sent.texts.append(text)
            sent.entries.append("send \(record.key): \(StoredForms.auditText(record.outcome))")
            links[record.key] = record.links
        }
        guard !sent.keys.isEmpty else { return }
        // One row per link, the last outcome's when a key comes twice; a send recorded twice (a
        // crash between the relay's answer and this commit) keeps one row per link.
        for (key, urls) in links {
            sent.linkKeys += Array(repeating: key, count: urls.count)
            sent.linkIndices += urls.indices.map { Int32($0) }
            sent.linkURLs += urls
        }
        for try await _ in try await connection.execute(sent, logger: logger) {}
    }

    /// Where an outbox item's outcome leaves its row: the one statement for sends and rep notices
    /// alike (a notice keeps no Message-ID).
    enum OutboxTable: String {
        case send, notice
    }

    /// A send's attempts as its hot row kept them, written back to `send` with the outcome.
    struct Attempts {
        var count: Int
        var first: Double?
    }

    /// `attempts`, for a send, replaces the row's own count (which a deferral would otherwise
    /// take one from); a notice keeps its bookkeeping in its own row.
    static func outcomeUpdate(_ outcome: SendOutcome, of table: OutboxTable, key: String, now: Date, attempts: Attempts? = nil) -> PostgresQuery {
        let at = now.seconds
        var query: PostgresQuery
        switch outcome {
        case let .sent(messageID, code, text):
            query = table == .send
                ? "UPDATE send SET status = 'sent', message_id = \(messageID), last_code = \(code), last_text = \(text), finished_at = \(at)"
                : "UPDATE notice SET status = 'sent', last_code = \(code), last_text = \(text), finished_at = \(at)"
        case let .retry(retryAt, code, text):
            query = "UPDATE \(unescaped: table.rawValue) SET status = 'pending', next_attempt_at = \(retryAt.seconds), last_code = \(code), last_text = \(text)"
        case let .deferred(until, reason):
            query = "UPDATE \(unescaped: table.rawValue) SET status = 'pending', next_attempt_at = \(until.seconds), last_text = \(reason)"
            if attempts == nil { query.sql += ", attempts = attempts - 1" }
        case let .failed(code, text, _):
            query = "UPDATE \(unescaped: table.rawValue) SET status = 'failed', last_code = \(code), last_text = \(text), finished_at = \(at)"
        case let .cancelled(reason):
            query = "UPDATE \(unescaped: table.rawValue) SET status = 'cancelled', last_text = \(reason), finished_at = \(at)"
        }
        if let attempts {
            query.binds.append(attempts.count)
            query.sql += ", attempts = $\(query.binds.count)"
            query.binds.append(attempts.first)
            query.sql += ", first_attempt_at = $\(query.binds.count)"
        }
        query.binds.append(key)
        query.sql += ", lease_until = NULL WHERE key = $\(query.binds.count)"
        return query
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
