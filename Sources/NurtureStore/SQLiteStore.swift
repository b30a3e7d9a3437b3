import Foundation
import GRDB
import NurtureCore

/// The default store: one SQLite file in WAL mode, shared by the command line, the scheduler and
/// a server process (each waits for the others' writes instead of failing).
public final class SQLiteStore: SchedulerStore {
    let pool: DatabasePool
    /// Concurrent small writes (the web service's clicks and opens), committed in batches.
    let groupCommit: GroupCommit
    /// Inbox payloads stay JSON: they are written once and read once, and stay readable in the file.
    private let encoder = JSONEncoder()
    private let decoder = JSONDecoder()
    private let recentLeads = RecentlyDecoded<Lead>()
    private let recentStates = RecentlyDecoded<LeadState>()

    /// Why a file cannot be used as a store.
    public struct Unusable: Error, CustomStringConvertible {
        public var description: String
    }

    /// Opens the store at `path`. A writable store is created when missing, private to its owner
    /// (0600: it holds every lead's address; SQLite gives the `-wal` and `-shm` files the same
    /// mode), and migrated when older. A read-only store is neither created nor migrated, and needs
    /// no write permission: a command that only reads opens it so.
    public init(path: String, readOnly: Bool = false) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.readonly = readOnly
        if !readOnly { try Self.createPrivately(path) }
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Every result is its own commit and rewrites the same few pages (the send row, its
            // indexes, the audit log's last page). Checkpointing every 10,000 pages (40 MB) instead
            // of SQLite's 1,000 copies each such page back to the file once instead of ten times,
            // and syncs a tenth as often; the WAL is cut back to 64 MB after a checkpoint.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 10000")
            try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        groupCommit = GroupCommit(pool: pool)
        // A file that is up to date (the usual case) is only read, on the writer's connection:
        // no write lock for `tick` to wait on, and no reader connection to open.
        let migrator = Migrations.migrator
        if readOnly {
            guard try pool.read({ db in try migrator.hasCompletedMigrations(db) }) else {
                throw Unusable(description: "not a store this version can read (empty, or made by another version); "
                    + "'nurture leads import' or 'nurture tick' on it creates or upgrades it")
            }
            return
        }
        let upToDate = try pool.writeWithoutTransaction { db in try migrator.hasCompletedMigrations(db) }
        if !upToDate { try migrator.migrate(pool) }
    }

    /// Creates a missing store file readable by its owner alone, before SQLite opens it.
    static func createPrivately(_ path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            close(descriptor)
        } else if errno != EEXIST {
            throw Unusable(description: "cannot create the store: \(String(cString: strerror(errno)))")
        }
    }

    /// SQLite's quick integrity check, for a store about to be sent from: a damaged file could
    /// read as leads to mail again, or lose the record of what was sent. Reads every page once.
    public func checkIntegrity() throws {
        let problems = try pool.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check(5)") }
        guard problems == ["ok"] else {
            throw Unusable(description: "the store is damaged (SQLite's quick_check: \(problems.joined(separator: "; "))); "
                + "nothing was sent. Restore it from a backup")
        }
    }

    static func seconds(_ date: Date) -> Double { date.timeIntervalSince1970 }
    static func date(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }

    // MARK: Getting data in

    public func upsert(_ leads: [Lead]) throws -> Int {
        try pool.write { db in
            var inserted = 0
            let now = Self.seconds(Date())
            // Prepared once per batch: an import runs these for every row of a file of any size.
            let insert = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO lead (id, email, profile, updated_at) VALUES (?, ?, ?, ?)")
            let update = try db.cachedStatement(sql: "UPDATE lead SET email = ?, profile = ?, updated_at = ? WHERE id = ?")
            for lead in leads {
                let profile = StoredBlob.encode(LeadProfile(lead))
                try insert.execute(arguments: [lead.id, lead.email, profile, now])
                if db.changesCount > 0 {
                    inserted += 1
                } else {
                    try update.execute(arguments: [lead.email, profile, now, lead.id])
                }
            }
            return inserted
        }
    }

    public func append(_ items: [InboxItem]) throws -> Int {
        try pool.write { db in
            var added = 0
            for item in items where try insert(item, db: db) { added += 1 }
            return added
        }
    }

    /// Adds an item to the lead's inbox, unless it is there already, and makes the lead due for it.
    func insert(_ item: InboxItem, db: Database) throws -> Bool {
        try db.execute(
            sql: "INSERT OR IGNORE INTO inbox (id, lead_id, at, payload) VALUES (?, ?, ?, ?)",
            arguments: [item.id, item.leadID, Self.seconds(item.at), try encoder.encode(item.payload)])
        guard db.changesCount > 0 else { return false }
        try db.execute(
            sql: "UPDATE lead SET next_due_at = MIN(COALESCE(next_due_at, ?1), ?1) WHERE id = ?2",
            arguments: [Self.seconds(item.at), item.leadID])
        return true
    }

    /// Tells the engine, through the lead's inbox, that a send was never accepted, so that the
    /// frequency cap stops counting it.
    private func reportUndelivered(_ key: String, now: Date, db: Database) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT lead_id, due_at FROM send WHERE key = ?", arguments: [key]) else { return }
        _ = try insert(
            InboxItem(id: "undelivered|\(key)", leadID: row["lead_id"], at: now, payload: .undelivered(sentAt: Self.date(row["due_at"]))),
            db: db)
    }

    // MARK: The engine's side

    public func claimDueLeads(now: Date, limit: Int, leaseUntil: Date) throws -> [ClaimedLead] {
        // Only the rows are read while the write lock is held; they are decoded after it is released.
        let at = Self.seconds(now)
        let claimed = try pool.write { db -> [(id: String, profile: Data, state: Data?, inbox: [Row])] in
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: """
                    UPDATE lead SET lease_until = ?1
                    WHERE id IN (
                        SELECT id FROM lead
                        WHERE next_due_at <= ?2 AND (lease_until IS NULL OR lease_until < ?2)
                        ORDER BY next_due_at LIMIT ?3)
                    RETURNING id, profile, state
                    """),
                arguments: [Self.seconds(leaseUntil), at, limit])
            let pending = try db.cachedStatement(
                sql: "SELECT id, at, payload FROM inbox WHERE lead_id = ? AND processed = 0 AND at <= ? ORDER BY at, id")
            return try rows.map { row in
                let id: String = row["id"]
                return (id, row["profile"], row["state"], try Row.fetchAll(pending, arguments: [id, at]))
            }
        }
        return try claimed.map { claim in
            let lead = try self.lead(from: claim.profile)
            let state = try claim.state.map(self.state(from:))
            let inbox = try claim.inbox.map { item in
                InboxItem(id: item["id"], leadID: claim.id, at: Self.date(item["at"]),
                          payload: try decoder.decode(InboxItem.Payload.self, from: item["payload"] as Data))
            }
            return ClaimedLead(lead: lead, state: state, inbox: inbox)
        }
    }

    public func commit(_ updates: [LeadUpdate], now: Date) throws {
        // Encoded before the write lock is taken, so that it is held only for the statements.
        let states = updates.map { update in
            let blob = StoredBlob.encode(update.state)
            recentStates.remember(update.state, as: blob)
            return blob
        }
        var encodedPeople: [Rep: Data] = [:]
        func encoded(_ rep: Rep?) -> Data? {
            guard let rep else { return nil }
            if let known = encodedPeople[rep] { return known }
            let blob = StoredBlob.encode(LeadProfile.Person(rep))
            encodedPeople[rep] = blob
            return blob
        }
        let people = updates.map { update in
            update.sends.map { send in (from: encoded(send.from), replyTo: encoded(send.replyTo)) }
        }
        let at = Self.seconds(now)
        try pool.write { db in
            let markProcessed = try db.cachedStatement(sql: "UPDATE inbox SET processed = 1 WHERE id = ?")
            let firstPending = try db.cachedStatement(sql: "SELECT MIN(at) FROM inbox WHERE lead_id = ? AND processed = 0")
            let updateLead = try db.cachedStatement(
                sql: "UPDATE lead SET state = ?, next_due_at = ?, lease_until = NULL, updated_at = ? WHERE id = ?")
            for (index, update) in updates.enumerated() {
                for id in update.processed {
                    try markProcessed.execute(arguments: [id])
                }
                // The next time the lead is due: its next wake-up, or an inbox item still waiting.
                let pendingInbox = try Double.fetchOne(firstPending, arguments: [update.leadID])
                let wake = update.state.nextWake.map(Self.seconds)
                let due = [pendingInbox, wake].compactMap { $0 }.min()
                try updateLead.execute(arguments: [states[index], due, at, update.leadID])
                if !update.sends.isEmpty {
                    let insertSend = try db.cachedStatement(sql: """
                        INSERT OR IGNORE INTO send (key, lead_id, sequence, step, template, enrolled_at, due_at, sender,
                            reply_to, status, next_attempt_at, sender_email)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)
                        """)
                    for (send, person) in zip(update.sends, people[index]) {
                        try insertSend.execute(arguments: [
                            send.key, send.leadID, send.sequence, send.step, send.template, Self.seconds(send.enrolledAt),
                            Self.seconds(send.dueAt), person.from, person.replyTo, Self.seconds(send.dueAt),
                            send.from?.email.lowercased(),
                        ])
                    }
                }
                try insertHandOffs(update.handOffs, notices: update.notices, leadID: update.leadID, at: now, db: db)
                if let suppression = update.suppression {
                    try suppress(suppression.email, reason: suppression.reason, at: now, db: db)
                }
                if !update.audit.isEmpty {
                    let insertAudit = try db.cachedStatement(sql: "INSERT INTO audit (at, lead_id, entry) VALUES (?, ?, ?)")
                    for entry in update.audit {
                        try insertAudit.execute(arguments: [at, update.leadID, entry])
                    }
                }
            }
        }
    }

    func suppress(_ email: String, reason: String, at now: Date, db: Database) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO suppression (email, reason, at) VALUES (?, ?, ?)",
                       arguments: [email.lowercased(), reason, Self.seconds(now)])
    }

    // MARK: The sender's side

    public func rescueExpiredSends(now: Date) throws -> Int { try rescueExpired(in: .send, now: now) }

    public func claimDueSends(now: Date, limit: Int, leaseUntil: Date, rate: SendRate?) throws -> [QueuedSend] {
        // Decoded after the write lock is released.
        let rows = try pool.write { db in
            guard let rate else { return try claimDue(in: .send, now: now, limit: limit, leaseUntil: leaseUntil, db: db) }
            let row = try Row.fetchOne(db, sql: "SELECT tokens, at FROM send_allowance WHERE id = 1")
            var allowance = SendAllowance(tokens: row?["tokens"] ?? 0, at: Self.date(row?["at"] ?? 0))
            let granted = allowance.grant(upTo: limit, at: now, rate: rate)
            let rows = granted > 0 ? try claimDue(in: .send, now: now, limit: granted, leaseUntil: leaseUntil, db: db) : []
            allowance.giveBack(granted - rows.count, rate: rate)
            try db.execute(
                sql: "UPDATE send_allowance SET tokens = ?, at = ? WHERE id = 1",
                arguments: [allowance.tokens, Self.seconds(allowance.at)])
            return rows
        }
        // A batch has a handful of senders and reply-tos between them: each is decoded once.
        var people: [Data: Rep] = [:]
        return try rows.map { try queuedSend($0, people: &people) }
    }

    func queuedSend(_ row: Row, people: inout [Data: Rep]) throws -> QueuedSend {
        func person(_ column: String) throws -> Rep? {
            guard let blob = row[column] as Data? else { return nil }
            if let known = people[blob] { return known }
            let rep = try StoredBlob.decode(LeadProfile.Person.self, from: blob).rep
            people[blob] = rep
            return rep
        }
        return QueuedSend(
            key: row["key"], leadID: row["lead_id"], sequence: row["sequence"], step: row["step"], template: row["template"],
            enrolledAt: Self.date(row["enrolled_at"]), dueAt: Self.date(row["due_at"]),
            from: try person("sender"), replyTo: try person("reply_to"),
            status: QueuedSend.Status(rawValue: row["status"]) ?? .pending, attempts: row["attempts"],
            firstAttemptAt: (row["first_attempt_at"] as Double?).map(Self.date))
    }

    public func record(_ outcome: SendOutcome, for key: String, now: Date) throws {
        try pool.write { db in try record(outcome, for: key, now: now, db: db) }
    }

    /// `record`, inside a transaction the caller holds.
    func record(_ outcome: SendOutcome, for key: String, now: Date, db: Database) throws {
        let at = Self.seconds(now)
        let entry = "send \(key): \(Self.auditText(outcome))"
        switch outcome {
        case let .sent(messageID, code, text):
            try db.cachedStatement(
                sql: "UPDATE send SET status = 'sent', lease_until = NULL, message_id = ?, last_code = ?, last_text = ?, finished_at = ? WHERE key = ?"
            ).execute(arguments: [messageID, code, text, at, key])
        case let .retry(retryAt, code, text):
            try db.cachedStatement(
                sql: "UPDATE send SET status = 'pending', lease_until = NULL, next_attempt_at = ?, last_code = ?, last_text = ? WHERE key = ?"
            ).execute(arguments: [Self.seconds(retryAt), code, text, key])
        case let .deferred(until, reason):
            try db.cachedStatement(
                sql: "UPDATE send SET status = 'pending', lease_until = NULL, next_attempt_at = ?, attempts = attempts - 1, last_text = ? WHERE key = ?"
            ).execute(arguments: [Self.seconds(until), reason, key])
        case let .failed(code, text, suppress):
            try db.cachedStatement(
                sql: "UPDATE send SET status = 'failed', lease_until = NULL, last_code = ?, last_text = ?, finished_at = ? WHERE key = ?"
            ).execute(arguments: [code, text, at, key])
            try reportUndelivered(key, now: now, db: db)
            if suppress, let email = try String.fetchOne(
                db, sql: "SELECT lead.email FROM send JOIN lead ON lead.id = send.lead_id WHERE send.key = ?", arguments: [key]) {
                try self.suppress(email, reason: "hard bounce: \(code) \(text)", at: now, db: db)
            }
        case let .cancelled(reason):
            try db.cachedStatement(
                sql: "UPDATE send SET status = 'cancelled', lease_until = NULL, last_text = ?, finished_at = ? WHERE key = ?"
            ).execute(arguments: [reason, at, key])
        }
        try db.cachedStatement(sql: "INSERT INTO audit (at, lead_id, entry) SELECT ?, lead_id, ? FROM send WHERE key = ?")
            .execute(arguments: [at, entry, key])
    }

    public func leadsForSending(_ ids: [String]) throws -> [String: LeadForSending] {
        guard !ids.isEmpty else { return [:] }
        let unique = Array(Set(ids))
        // Decoded after the reader is handed back; one read for the leads and their suppressions.
        // The statements are cached per list length: a pass's chunks mostly have the same length.
        let (rows, emails, suppressed) = try pool.read { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT id, email, profile, state FROM lead WHERE id IN (\(Self.placeholders(unique.count)))"),
                arguments: StatementArguments(unique))
            let emails = rows.map { ($0["email"] as String).lowercased() }
            let suppressed = emails.isEmpty ? [] : try Set(String.fetchAll(
                db.cachedStatement(sql: "SELECT email FROM suppression WHERE email IN (\(Self.placeholders(emails.count)))"),
                arguments: StatementArguments(emails)))
            return (rows, emails, suppressed)
        }
        var found: [String: LeadForSending] = [:]
        for (row, email) in zip(rows, emails) {
            let lead = try self.lead(from: row["profile"])
            let state = try (row["state"] as Data?).map(self.state(from:))
            found[row["id"]] = LeadForSending(lead: lead, state: state, suppressed: suppressed.contains(email))
        }
        return found
    }

    /// A lead from its stored profile; the same bytes decode once.
    func lead(from profile: Data) throws -> Lead {
        try recentLeads.value(of: profile) { try StoredBlob.decode(LeadProfile.self, from: $0).lead }
    }

    /// An engine state from its stored form; the same bytes decode once.
    func state(from blob: Data) throws -> LeadState {
        try recentStates.value(of: blob) { try StoredBlob.decode(LeadState.self, from: $0) }
    }

    static func placeholders(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ", ") }

    public func lead(_ id: String) throws -> (Lead, LeadState?)? {
        // Decoded after the reader is handed back.
        let row = try pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT profile, state FROM lead WHERE id = ?"), arguments: [id])
        }
        guard let row else { return nil }
        let lead = try StoredBlob.decode(LeadProfile.self, from: row["profile"]).lead
        return (lead, try (row["state"] as Data?).map { try StoredBlob.decode(LeadState.self, from: $0) })
    }

    public func nextDue() throws -> Date? {
        try pool.read { db in
            // A leased lead (its process may have died) is due again only when its lease runs out:
            // the earliest lead not leased past its due time (walking the index), and the leases of
            // the leads due before it.
            let free = try Double.fetchOne(
                db,
                sql: """
                    SELECT next_due_at FROM lead
                    WHERE next_due_at IS NOT NULL AND (lease_until IS NULL OR lease_until <= next_due_at)
                    ORDER BY next_due_at LIMIT 1
                    """)
            let leased = try Double.fetchOne(
                db, sql: "SELECT MIN(lease_until) FROM lead WHERE next_due_at IS NOT NULL AND next_due_at < ? AND lease_until > next_due_at",
                arguments: [free ?? .greatestFiniteMagnitude])
            let lead = [free, leased].compactMap { $0 }.min()
            let send = try Double.fetchOne(db, sql: "SELECT MIN(next_attempt_at) FROM send WHERE status = 'pending'")
            let lease = try Double.fetchOne(db, sql: "SELECT MIN(lease_until) FROM send WHERE status = 'sending'")
            // Rep notices to deliver, and hand-offs whose answer deadline will expire them.
            let notice = try Double.fetchOne(
                db, sql: "SELECT MIN(COALESCE(lease_until, next_attempt_at)) FROM notice WHERE status IN ('pending', 'sending')")
            let expiry = try Double.fetchOne(db, sql: "SELECT MIN(due_at) FROM hand_off WHERE status = 'open'")
            return [lead, send, lease, notice, expiry].compactMap { $0 }.min().map(Self.date)
        }
    }

    /// Enrolment requests dated in the future: a paced enrolment's leads still waiting to start.
    static let pacedEnrollments = "SELECT COUNT(*) FROM inbox WHERE processed = 0 AND at > ? AND id LIKE 'enroll|%'"

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
                handOffs: try count("SELECT COUNT(*) FROM hand_off"),
                openHandOffs: try count("SELECT COUNT(*) FROM hand_off WHERE status = 'open'"),
                overdueHandOffs: try count("SELECT COUNT(*) FROM hand_off WHERE status = 'open' AND due_at < ?", [at]),
                undeliveredNotices: try count("SELECT COUNT(*) FROM notice WHERE status IN ('pending', 'sending', 'failed')"),
                failedNotices: try count("SELECT COUNT(*) FROM notice WHERE status = 'failed'"),
                openRequests: try count("SELECT COUNT(*) FROM nurture_request WHERE status IN ('open', 'handed_back')"),
                sends: Dictionary(
                    try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM send GROUP BY status").map { ($0["status"], $0["n"]) },
                    uniquingKeysWith: +),
                pacedEnrollments: try count(Self.pacedEnrollments, [at]),
                lastPacedStart: try Double.fetchOne(db, sql: Self.pacedEnrollments.replacingOccurrences(of: "COUNT(*)", with: "MAX(at)"), arguments: [at])
                    .map(Self.date))
        }
    }
}

extension SQLiteStore {
    /// A lead's id from its id or email. An address matches whatever its letter case (tracking
    /// systems and CRMs write them differently, and an unsubscribe must never miss its lead); the
    /// exact match is tried first, on the index.
    public func leadID(for reference: String) throws -> String? {
        try pool.read { db in
            if let id = try String.fetchOne(
                db, sql: "SELECT id FROM lead WHERE id = ?1 OR email = ?1 LIMIT 1", arguments: [reference]) {
                return id
            }
            guard reference.contains("@") else { return nil }
            return try String.fetchOne(
                db, sql: "SELECT id FROM lead WHERE email = ?1 COLLATE NOCASE ORDER BY id LIMIT 1", arguments: [reference])
        }
    }

    /// Every lead with its engine state, read in pages so memory stays flat.
    public func forEachLead(_ body: (Lead, LeadState?) throws -> Void) throws {
        var after = ""
        while true {
            let page = try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT id, profile, state FROM lead WHERE id > ? ORDER BY id LIMIT 1000", arguments: [after])
            }
            guard let last = page.last else { return }
            for row in page {
                let lead = try StoredBlob.decode(LeadProfile.self, from: row["profile"]).lead
                try body(lead, try (row["state"] as Data?).map { try StoredBlob.decode(LeadState.self, from: $0) })
            }
            after = last["id"]
        }
    }
}
