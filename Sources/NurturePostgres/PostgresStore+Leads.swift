import Foundation
import NurtureCore
import NurtureStore
import PostgresNIO

/// Leads, their inboxes and the engine's side of the scheduler on PostgreSQL.
extension PostgresStore {
    /// Rows per statement when writing in bulk: arrays of this many values per parameter.
    static let bulkRows = 1000

    public func upsert(_ leads: [Lead]) throws -> Int {
        // One row per id, the last one winning, as rows written one after the other would leave it:
        // a statement cannot update the same row twice.
        var latest: [String: Int] = [:]
        for (index, lead) in leads.enumerated() { latest[lead.id] = index }
        let unique = latest.values.sorted().map { leads[$0] }
        let now = Date().seconds
        return try transaction { connection -> Int in
            var inserted = 0
            for start in stride(from: 0, to: unique.count, by: Self.bulkRows) {
                let chunk = unique[start..<min(start + Self.bulkRows, unique.count)]
                let ids = chunk.map(\.id), emails = chunk.map(\.email)
                let profiles = chunk.map { StoredForms.profile($0).buffer }
                // `xmax = 0` tells a row this statement inserted from one it updated.
                let rows = try await connection.rows(
                    """
                    INSERT INTO lead (id, email, profile, updated_at)
                    SELECT id, email, profile, \(now) FROM unnest(\(ids)::text[], \(emails)::text[], \(profiles)::bytea[]) AS t (id, email, profile)
                    ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, profile = EXCLUDED.profile, updated_at = EXCLUDED.updated_at
                    RETURNING (xmax = 0) AS inserted
                    """, logger: self.logger)
                inserted += try rows.filter { try $0["inserted", as: Bool.self] }.count
            }
            return inserted
        }
    }

    public func append(_ items: [InboxItem]) throws -> Int {
        let payloads = try items.map { try StoredForms.payload($0.payload).buffer }
        return try transaction { connection -> Int in
            var added = 0
            for start in stride(from: 0, to: items.count, by: Self.bulkRows) {
                let range = start..<min(start + Self.bulkRows, items.count)
                added += try await self.insert(Array(items[range]), payloads: Array(payloads[range]), on: connection)
            }
            return added
        }
    }

    /// Adds items to their leads' inboxes, those not there already, and makes each lead due for
    /// its earliest new item. Returns how many were new.
    func insert(_ items: [InboxItem], payloads: [ByteBuffer]? = nil, on connection: PostgresConnection) async throws -> Int {
        guard !items.isEmpty else { return 0 }
        let payloads = try payloads ?? items.map { try StoredForms.payload($0.payload).buffer }
        let ids = items.map(\.id), leads = items.map(\.leadID), ats = items.map(\.at.seconds)
        return try await connection.value(
            """
            WITH added AS (
                INSERT INTO inbox (id, lead_id, at, payload)
                SELECT * FROM unnest(\(ids)::text[], \(leads)::text[], \(ats)::float8[], \(payloads)::bytea[])
                ON CONFLICT (id) DO NOTHING
                RETURNING lead_id, at),
            due AS (
                UPDATE lead SET next_due_at = LEAST(lead.next_due_at, earliest.at)
                FROM (SELECT lead_id, MIN(at) AS at FROM added GROUP BY lead_id) AS earliest
                WHERE lead.id = earliest.lead_id)
            SELECT COUNT(*) FROM added
            """, as: Int.self, logger: logger) ?? 0
    }

    public func claimDueLeads(now: Date, limit: Int, leaseUntil: Date) throws -> [ClaimedLead] {
        let (leads, inbox) = try transaction { connection -> ([PostgresRandomAccessRow], [PostgresRandomAccessRow]) in
            // Locked rows are skipped, not waited for: another process is claiming them.
            let leads = try await connection.rows(
                """
                WITH picked AS (
                    SELECT id FROM lead
                    WHERE next_due_at <= \(now.seconds) AND (lease_until IS NULL OR lease_until < \(now.seconds))
                    ORDER BY next_due_at LIMIT \(limit)
                    FOR UPDATE SKIP LOCKED)
                UPDATE lead SET lease_until = \(leaseUntil.seconds) FROM picked WHERE lead.id = picked.id
                RETURNING lead.id, lead.profile, lead.state
                """, logger: self.logger)
            guard !leads.isEmpty else { return (leads, []) }
            let ids = try leads.map { try $0["id", as: String.self] }
            let inbox = try await connection.rows(
                """
                SELECT id, lead_id, at, payload FROM inbox
                WHERE lead_id = ANY(\(ids)) AND processed = 0 AND at <= \(now.seconds) ORDER BY lead_id, at, id
                """, logger: self.logger)
            return (leads, inbox)
        }
        var items: [String: [InboxItem]] = [:]
        for row in inbox {
            let leadID: String = try row["lead_id"]
            items[leadID, default: []].append(InboxItem(
                id: try row["id"], leadID: leadID, at: Date(timeIntervalSince1970: try row["at"]),
                payload: try StoredForms.payload(from: try row["payload"])))
        }
        return try leads.map { row in
            let id: String = try row["id"]
            return ClaimedLead.stored(
                lead: try StoredForms.lead(fromProfile: try row["profile"]),
                state: try row["state", as: Data?.self].map(StoredForms.state(from:)),
                inbox: items[id] ?? [])
        }
    }

    /// A batch of the engine's decisions in one transaction and a fixed number of statements,
    /// whatever its size: statement by statement, a pass of 500 leads made some 2,000 round trips
    /// and held the engine's side to about 700 leads a second. Hand-offs, notices and suppressions,
    /// rarer and each with its own follow-ups, are written lead by lead after the batch.
    public func commit(_ updates: [LeadUpdate], now: Date) throws {
        guard !updates.isEmpty else { return }
        // Encoded before the transaction, so that it holds its connection only for the statements.
        let batch = LeadCommitBatch(updates)
        try transaction { connection in
            try await self.commit(batch, now: now, on: connection)
            for update in updates where !update.handOffs.isEmpty || !update.notices.isEmpty || update.suppression != nil {
                try await self.insertHandOffs(update.handOffs, notices: update.notices, leadID: update.leadID, at: now, on: connection)
                if let suppression = update.suppression {
                    try await self.suppress(suppression.email, reason: suppression.reason, at: now, on: connection)
                }
            }
        }
    }

    private func commit(_ batch: LeadCommitBatch, now: Date, on connection: PostgresConnection) async throws {
        let at = now.seconds
        if !batch.processed.isEmpty {
            try await connection.query("UPDATE inbox SET processed = 1 WHERE id = ANY(\(batch.processed))", logger: logger)
        }
        // The next time each lead is due: its next wake-up, or an inbox item still waiting (LEAST
        // skips NULLs). After the inbox update, so that items just processed no longer count.
        try await connection.query(
            """
            UPDATE lead SET state = u.state, lease_until = NULL, updated_at = \(at),
                next_due_at = LEAST(NULLIF(u.wake, 'NaN'), (SELECT MIN(at) FROM inbox WHERE inbox.lead_id = u.id AND processed = 0))
            FROM unnest(\(batch.leadIDs)::text[], \(batch.states)::bytea[], \(batch.wakes)::double precision[]) AS u (id, state, wake)
            WHERE lead.id = u.id
            """, logger: logger)
        if !batch.sends.keys.isEmpty {
            let sends = batch.sends
            // A send already queued (the same pass run again after a crash) keeps its one row; only
            // the rows inserted enter the hot queue.
            try await connection.query(
                """
                WITH new AS (
                    SELECT * FROM unnest(\(sends.keys)::text[], \(sends.leadIDs)::text[], \(sends.sequences)::text[],
                        \(sends.steps)::text[], \(sends.templates)::text[], \(sends.enrolledAt)::double precision[],
                        \(sends.dueAt)::double precision[], \(sends.senders)::bytea[], \(sends.replyTos)::bytea[],
                        \(sends.senderEmails)::text[])
                        AS t (key, lead_id, sequence, step, template, enrolled_at, due_at, sender, reply_to, sender_email)),
                queued AS (
                    INSERT INTO send (key, lead_id, sequence, step, template, enrolled_at, due_at, sender, reply_to, status,
                        next_attempt_at, sender_email)
                    SELECT key, lead_id, sequence, step, template, enrolled_at, due_at, NULLIF(sender, ''::bytea),
                        NULLIF(reply_to, ''::bytea), 'pending', due_at, NULLIF(sender_email, '')
                    FROM new
                    ON CONFLICT (key) DO NOTHING
                    RETURNING key, next_attempt_at)
                INSERT INTO send_ready (key, next_attempt_at) SELECT key, next_attempt_at FROM queued
                """, logger: logger)
        }
        if !batch.auditLeads.isEmpty {
            try await connection.query(
                """
                INSERT INTO audit (at, lead_id, entry)
                SELECT \(at), lead_id, entry FROM unnest(\(batch.auditLeads)::text[], \(batch.auditEntries)::text[]) AS t (lead_id, entry)
                """, logger: logger)
        }
    }

    func suppress(_ email: String, reason: String, at now: Date, on connection: PostgresConnection) async throws {
        try await connection.query(
            "INSERT INTO suppression (email, reason, at) VALUES (\(email.lowercased()), \(reason), \(now.seconds)) ON CONFLICT DO NOTHING",
            logger: logger)
    }

    /// The leads of a chunk of sends with whether each address is suppressed, in one statement.
    /// Suppressions are stored as Swift lower-cases them; `lower` under the "C" collation folds
    /// A to Z alone, the same for every address that can be sent to (they are ASCII) whatever the
    /// database's locale.
    public func leadsForSending(_ ids: [String]) throws -> [String: LeadForSending] {
        guard !ids.isEmpty else { return [:] }
        let unique = Array(Set(ids))
        let rows = try statement { connection in
            try await connection.rows(
                """
                SELECT id, profile, state, EXISTS (SELECT 1 FROM suppression WHERE suppression.email = lower(lead.email COLLATE "C")) AS suppressed
                FROM lead WHERE id = ANY(\(unique))
                """, logger: self.logger)
        }
        var found: [String: LeadForSending] = [:]
        for row in rows {
            found[try row["id"]] = LeadForSending(
                lead: try StoredForms.lead(fromProfile: try row["profile"]),
                state: try row["state", as: Data?.self].map(StoredForms.state(from:)),
                suppressed: try row["suppressed"])
        }
        return found
    }

    public func lead(_ id: String) throws -> (Lead, LeadState?)? {
        let row = try transaction { connection in
            try await connection.rows("SELECT profile, state FROM lead WHERE id = \(id)", logger: self.logger).first
        }
        guard let row else { return nil }
        return (try StoredForms.lead(fromProfile: try row["profile"]), try row["state", as: Data?.self].map(StoredForms.state(from:)))
    }

    /// A lead's id from its id or email; an address matches whatever its letter case, the exact match first.
    public func leadID(for reference: String) throws -> String? {
        try transaction { connection -> String? in
            if let id = try await connection.value(
                "SELECT id FROM lead WHERE id = \(reference) OR email = \(reference) LIMIT 1", as: String.self, logger: self.logger) {
                return id
            }
            guard reference.contains("@") else { return nil }
            return try await connection.value(
                "SELECT id FROM lead WHERE lower(email) = lower(\(reference)) ORDER BY id LIMIT 1", as: String.self, logger: self.logger)
        }
    }

    /// Every lead with its engine state, read in pages so memory stays flat.
    public func forEachLead(_ body: (Lead, LeadState?) throws -> Void) throws {
        var after = ""
        while true {
            let page = try transaction { [after] connection in
                try await connection.rows(
                    "SELECT id, profile, state FROM lead WHERE id > \(after) ORDER BY id LIMIT 1000", logger: self.logger)
            }
            guard let last = page.last else { return }
            for row in page {
                try body(try StoredForms.lead(fromProfile: try row["profile"]), try row["state", as: Data?.self].map(StoredForms.state(from:)))
            }
            after = try last["id"]
        }
    }

    public func nextDue() throws -> Date? {
        try transaction { connection -> Date? in
            // As in the SQLite store: the earliest lead not leased past its due time, the leases of
            // leads due before it, the ready sends and their leases, notices and hand-off deadlines.
            let free = try await connection.value(
                """
                SELECT next_due_at FROM lead
                WHERE next_due_at IS NOT NULL AND (lease_until IS NULL OR lease_until <= next_due_at)
                ORDER BY next_due_at LIMIT 1
                """, as: Double.self, logger: self.logger)
            let rows = try await connection.rows(
                """
                SELECT
                    (SELECT MIN(lease_until) FROM lead WHERE next_due_at IS NOT NULL AND next_due_at < \(free ?? .greatestFiniteMagnitude)
                        AND lease_until > next_due_at) AS leased,
                    (SELECT MIN(next_attempt_at) FROM send_ready WHERE lease_until IS NULL) AS send,
                    (SELECT MIN(lease_until) FROM send_ready WHERE lease_until IS NOT NULL) AS send_lease,
                    (SELECT MIN(COALESCE(lease_until, next_attempt_at)) FROM notice WHERE status IN ('pending', 'sending')) AS notice,
                    (SELECT MIN(due_at) FROM hand_off WHERE status = 'open') AS expiry
                """, logger: self.logger)
            guard let row = rows.first else { return free.map(Date.init(timeIntervalSince1970:)) }
            let others = try ["leased", "send", "send_lease", "notice", "expiry"].map { try row[$0, as: Double?.self] }
            return ([free] + others).compactMap { $0 }.min().map(Date.init(timeIntervalSince1970:))
        }
    }

    public func status(now: Date, dayStart: Date) throws -> QueueStatus {
        let at = now.seconds, day = dayStart.seconds
        let (row, sends) = try transaction { connection -> (PostgresRandomAccessRow, [String: Int]) in
            let rows = try await connection.rows(
                """
                SELECT
                    (SELECT COUNT(*) FROM lead) AS leads,
                    (SELECT COUNT(*) FROM send_ready) AS queued,
                    (SELECT COUNT(*) FROM send_ready WHERE lease_until IS NULL AND next_attempt_at <= \(at)) AS due_now,
                    (SELECT COUNT(*) FROM send WHERE status = 'sent' AND finished_at >= \(day)) AS sent_today,
                    (SELECT COUNT(*) FROM send WHERE status = 'failed') AS failed,
                    (SELECT COUNT(*) FROM send WHERE status = 'failed' AND finished_at >= \(day)) AS failed_today,
                    (SELECT MIN(next_attempt_at) FROM send_ready WHERE lease_until IS NULL AND next_attempt_at <= \(at)) AS oldest_overdue,
                    (SELECT COUNT(*) FROM suppression) AS suppressed,
                    (SELECT COUNT(*) FROM hand_off) AS hand_offs,
                    (SELECT COUNT(*) FROM hand_off WHERE status = 'open') AS open_hand_offs,
                    (SELECT COUNT(*) FROM hand_off WHERE status = 'open' AND due_at < \(at)) AS overdue_hand_offs,
                    (SELECT COUNT(*) FROM notice WHERE status IN ('pending', 'sending', 'failed')) AS undelivered_notices,
                    (SELECT COUNT(*) FROM notice WHERE status = 'failed') AS failed_notices,
                    (SELECT COUNT(*) FROM nurture_request WHERE status IN ('open', 'handed_back')) AS open_requests,
                    (SELECT COUNT(*) FROM inbox WHERE processed = 0 AND at > \(at) AND id LIKE 'enroll|%') AS paced,
                    (SELECT MAX(at) FROM inbox WHERE processed = 0 AND at > \(at) AND id LIKE 'enroll|%') AS last_paced
                """, logger: self.logger)
            var sends: [String: Int] = [:]
            for try await (status, count) in try await connection.query(
                """
                SELECT CASE WHEN send_ready.lease_until IS NOT NULL THEN 'sending' WHEN send.status = 'sending' THEN 'pending'
                    ELSE send.status END, COUNT(*)
                FROM send LEFT JOIN send_ready ON send_ready.key = send.key GROUP BY 1
                """, logger: self.logger).decode((String, Int).self) {
                sends[status] = count
            }
            return (rows[0], sends)
        }
        func count(_ column: String) throws -> Int { try row[column] }
        return QueueStatus.counted(
            leads: try count("leads"), queued: try count("queued"), dueNow: try count("due_now"), sentToday: try count("sent_today"),
            failed: try count("failed"), failedToday: try count("failed_today"), oldestOverdue: try row.date("oldest_overdue"),
            suppressed: try count("suppressed"), handOffs: try count("hand_offs"), openHandOffs: try count("open_hand_offs"),
            overdueHandOffs: try count("overdue_hand_offs"), undeliveredNotices: try count("undelivered_notices"),
            failedNotices: try count("failed_notices"), openRequests: try count("open_requests"), sends: sends,
            pacedEnrollments: try count("paced"), lastPacedStart: try row.date("last_paced"))
    }
}
