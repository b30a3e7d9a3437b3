import Foundation
import GRDB
import NurtureCore

/// The default store: one SQLite file in WAL mode, shared by the command line, the scheduler and
/// a server process (each waits for the others' writes instead of failing).
public final class SQLiteStore: SchedulerStore {
    let pool: DatabasePool
    private let encoder = JSONEncoder()
    private let decoder = JSONDecoder()

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try Migrations.migrator.migrate(pool)
    }

    static func seconds(_ date: Date) -> Double { date.timeIntervalSince1970 }
    static func date(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }

    // MARK: Getting data in

    public func upsert(_ leads: [Lead]) throws -> Int {
        try pool.write { db in
            var inserted = 0
            let now = Self.seconds(Date())
            for lead in leads {
                let profile = try encoder.encode(LeadProfile(lead))
                try db.execute(
                    sql: "INSERT OR IGNORE INTO lead (id, email, profile, updated_at) VALUES (?, ?, ?, ?)",
                    arguments: [lead.id, lead.email, profile, now])
                if db.changesCount > 0 {
                    inserted += 1
                } else {
                    try db.execute(
                        sql: "UPDATE lead SET email = ?, profile = ?, updated_at = ? WHERE id = ?",
                        arguments: [lead.email, profile, now, lead.id])
                }
            }
            return inserted
        }
    }

    public func append(_ items: [InboxItem]) throws -> Int {
        try pool.write { db in
            var added = 0
            for item in items {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO inbox (id, lead_id, at, payload) VALUES (?, ?, ?, ?)",
                    arguments: [item.id, item.leadID, Self.seconds(item.at), try encoder.encode(item.payload)])
                guard db.changesCount > 0 else { continue }
                added += 1
                try db.execute(
                    sql: "UPDATE lead SET next_due_at = MIN(COALESCE(next_due_at, ?1), ?1) WHERE id = ?2",
                    arguments: [Self.seconds(item.at), item.leadID])
            }
            return added
        }
    }

    // MARK: The engine's side

    public func claimDueLeads(now: Date, limit: Int, leaseUntil: Date) throws -> [ClaimedLead] {
        try pool.write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    UPDATE lead SET lease_until = ?1
                    WHERE id IN (
                        SELECT id FROM lead
                        WHERE next_due_at <= ?2 AND (lease_until IS NULL OR lease_until < ?2)
                        ORDER BY next_due_at LIMIT ?3)
                    RETURNING id, profile, state
                    """,
                arguments: [Self.seconds(leaseUntil), Self.seconds(now), limit])
            return try rows.map { row in
                let id: String = row["id"]
                let lead = try decoder.decode(LeadProfile.self, from: row["profile"] as Data).lead
                let state = try (row["state"] as Data?).map { try decoder.decode(LeadState.self, from: $0) }
                let inbox = try Row.fetchAll(
                    db, sql: "SELECT id, at, payload FROM inbox WHERE lead_id = ? AND processed = 0 AND at <= ? ORDER BY at, id",
                    arguments: [id, Self.seconds(now)]
                ).map { item in
                    InboxItem(id: item["id"], leadID: id, at: Self.date(item["at"]),
                              payload: try decoder.decode(InboxItem.Payload.self, from: item["payload"] as Data))
                }
                return ClaimedLead(lead: lead, state: state, inbox: inbox)
            }
        }
    }

    public func commit(_ updates: [LeadUpdate], now: Date) throws {
        try pool.write { db in
            for update in updates {
                for id in update.processed {
                    try db.execute(sql: "UPDATE inbox SET processed = 1 WHERE id = ?", arguments: [id])
                }
                // The next time the lead is due: its next wake-up, or an inbox item still waiting.
                let pendingInbox = try Double.fetchOne(
                    db, sql: "SELECT MIN(at) FROM inbox WHERE lead_id = ? AND processed = 0", arguments: [update.leadID])
                let wake = update.state.nextWake.map(Self.seconds)
                let due = [pendingInbox, wake].compactMap { $0 }.min()
                try db.execute(
                    sql: "UPDATE lead SET state = ?, next_due_at = ?, lease_until = NULL, updated_at = ? WHERE id = ?",
                    arguments: [try encoder.encode(update.state), due, Self.seconds(now), update.leadID])
                for send in update.sends {
                    try db.execute(
                        sql: """
                            INSERT OR IGNORE INTO send (key, lead_id, sequence, step, template, enrolled_at, due_at, sender,
                                reply_to, status, next_attempt_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)
                            """,
                        arguments: [
                            send.key, send.leadID, send.sequence, send.step, send.template, Self.seconds(send.enrolledAt),
                            Self.seconds(send.dueAt), try send.from.map { try encoder.encode(LeadProfile.Person($0)) },
                            try send.replyTo.map { try encoder.encode(LeadProfile.Person($0)) }, Self.seconds(send.dueAt),
                        ])
                }
                for handOff in update.handOffs {
                    try db.execute(
                        sql: "INSERT INTO hand_off (lead_id, sequence, reason, rep_email, score, grade, at, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        arguments: [update.leadID, handOff.sequence, handOff.reason, handOff.rep?.email, handOff.score,
                                    handOff.grade, Self.seconds(handOff.at), handOff.due.map(Self.seconds)])
                }
                if let suppression = update.suppression {
                    try suppress(suppression.email, reason: suppression.reason, at: now, db: db)
                }
                for entry in update.audit {
                    try db.execute(sql: "INSERT INTO audit (at, lead_id, entry) VALUES (?, ?, ?)",
                                   arguments: [Self.seconds(now), update.leadID, entry])
                }
            }
        }
    }

    func suppress(_ email: String, reason: String, at now: Date, db: Database) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO suppression (email, reason, at) VALUES (?, ?, ?)",
                       arguments: [email.lowercased(), reason, Self.seconds(now)])
    }

    // MARK: The sender's side

    public func rescueExpiredSends(now: Date) throws -> Int {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE send SET status = 'pending', lease_until = NULL WHERE status = 'sending' AND lease_until < ?",
                arguments: [Self.seconds(now)])
            return db.changesCount
        }
    }

    public func claimDueSends(now: Date, limit: Int, leaseUntil: Date) throws -> [QueuedSend] {
        try pool.write { db in
            try Row.fetchAll(
                db,
                sql: """
                    UPDATE send SET status = 'sending', lease_until = ?1, attempts = attempts + 1,
                        first_attempt_at = COALESCE(first_attempt_at, ?2)
                    WHERE key IN (
                        SELECT key FROM send WHERE status = 'pending' AND next_attempt_at <= ?2
                        ORDER BY next_attempt_at LIMIT ?3)
                    RETURNING *
                    """,
                arguments: [Self.seconds(leaseUntil), Self.seconds(now), limit]
            ).map(queuedSend)
        }
    }

    func queuedSend(_ row: Row) throws -> QueuedSend {
        QueuedSend(
            key: row["key"], leadID: row["lead_id"], sequence: row["sequence"], step: row["step"], template: row["template"],
            enrolledAt: Self.date(row["enrolled_at"]), dueAt: Self.date(row["due_at"]),
            from: try (row["sender"] as Data?).map { try decoder.decode(LeadProfile.Person.self, from: $0).rep },
            replyTo: try (row["reply_to"] as Data?).map { try decoder.decode(LeadProfile.Person.self, from: $0).rep },
            status: QueuedSend.Status(rawValue: row["status"]) ?? .pending, attempts: row["attempts"],
            firstAttemptAt: (row["first_attempt_at"] as Double?).map(Self.date))
    }

    public func record(_ outcome: SendOutcome, for key: String, now: Date) throws {
        let at = Self.seconds(now)
        try pool.write { db in
            switch outcome {
            case let .sent(messageID, code, text):
                try db.execute(
                    sql: "UPDATE send SET status = 'sent', lease_until = NULL, message_id = ?, last_code = ?, last_text = ?, finished_at = ? WHERE key = ?",
                    arguments: [messageID, code, text, at, key])
            case let .retry(retryAt, code, text):
                try db.execute(
                    sql: "UPDATE send SET status = 'pending', lease_until = NULL, next_attempt_at = ?, last_code = ?, last_text = ? WHERE key = ?",
                    arguments: [Self.seconds(retryAt), code, text, key])
            case let .deferred(until, reason):
                try db.execute(
                    sql: "UPDATE send SET status = 'pending', lease_until = NULL, next_attempt_at = ?, attempts = attempts - 1, last_text = ? WHERE key = ?",
                    arguments: [Self.seconds(until), reason, key])
            case let .failed(code, text, suppress):
                try db.execute(
                    sql: "UPDATE send SET status = 'failed', lease_until = NULL, last_code = ?, last_text = ?, finished_at = ? WHERE key = ?",
                    arguments: [code, text, at, key])
                if suppress, let email = try String.fetchOne(
                    db, sql: "SELECT lead.email FROM send JOIN lead ON lead.id = send.lead_id WHERE send.key = ?", arguments: [key]) {
                    try self.suppress(email, reason: "hard bounce: \(code) \(text)", at: now, db: db)
                }
            case let .cancelled(reason):
                try db.execute(
                    sql: "UPDATE send SET status = 'cancelled', lease_until = NULL, last_text = ?, finished_at = ? WHERE key = ?",
                    arguments: [reason, at, key])
            }
            try db.execute(sql: "INSERT INTO audit (at, lead_id, entry) SELECT ?, lead_id, ? FROM send WHERE key = ?",
                           arguments: [at, "send \(key): \(outcome)", key])
        }
    }

    public func isSuppressed(_ email: String) throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM suppression WHERE email = ?", arguments: [email.lowercased()]) ?? false
        }
    }

    public func lead(_ id: String) throws -> (Lead, LeadState?)? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT profile, state FROM lead WHERE id = ?", arguments: [id]) else {
                return nil
            }
            let lead = try decoder.decode(LeadProfile.self, from: row["profile"] as Data).lead
            return (lead, try (row["state"] as Data?).map { try decoder.decode(LeadState.self, from: $0) })
        }
    }

    public func nextDue() throws -> Date? {
        try pool.read { db in
            let lead = try Double.fetchOne(db, sql: "SELECT MIN(next_due_at) FROM lead WHERE next_due_at IS NOT NULL")
            let send = try Double.fetchOne(db, sql: "SELECT MIN(next_attempt_at) FROM send WHERE status = 'pending'")
            let lease = try Double.fetchOne(db, sql: "SELECT MIN(lease_until) FROM send WHERE status = 'sending'")
            return [lead, send, lease].compactMap { $0 }.min().map(Self.date)
        }
    }

    public func status(now: Date, dayStart: Date) throws -> QueueStatus {
        try pool.read { db in
            let at = Self.seconds(now), day = Self.seconds(dayStart)
            func count(_ sql: String, _ arguments: StatementArguments = []) throws -> Int {
                try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0
            }
            return QueueStatus(
                leads: try count("SELECT COUNT(*) FROM lead"),
                queued: try count("SELECT COUNT(*) FROM send WHERE status IN ('pending', 'sending')"),
                dueNow: try count("SELECT COUNT(*) FROM send WHERE status = 'pending' AND next_attempt_at <= ?", [at]),
                sentToday: try count("SELECT COUNT(*) FROM send WHERE status = 'sent' AND finished_at >= ?", [day]),
                failed: try count("SELECT COUNT(*) FROM send WHERE status = 'failed'"),
                failedToday: try count("SELECT COUNT(*) FROM send WHERE status = 'failed' AND finished_at >= ?", [day]),
                oldestOverdue: try Double.fetchOne(
                    db, sql: "SELECT MIN(next_attempt_at) FROM send WHERE status = 'pending' AND next_attempt_at <= ?",
                    arguments: [at]).map(Self.date),
                suppressed: try count("SELECT COUNT(*) FROM suppression"),
                handOffs: try count("SELECT COUNT(*) FROM hand_off"))
        }
    }
}

extension SQLiteStore {
    /// A lead's id from its id or email.
    public func leadID(for reference: String) throws -> String? {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT id FROM lead WHERE id = ?1 OR email = ?1 LIMIT 1", arguments: [reference])
        }
    }

    /// Every lead with its engine state, read in pages so memory stays flat.
    public func forEachLead(_ body: (Lead, LeadState?) throws -> Void) throws {
        var after = ""
        let decoder = JSONDecoder()
        while true {
            let page = try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT id, profile, state FROM lead WHERE id > ? ORDER BY id LIMIT 1000", arguments: [after])
            }
            guard let last = page.last else { return }
            for row in page {
                let lead = try decoder.decode(LeadProfile.self, from: row["profile"] as Data).lead
                try body(lead, try (row["state"] as Data?).map { try decoder.decode(LeadState.self, from: $0) })
            }
            after = last["id"]
        }
    }
}
