import Foundation
import GRDB
import NurtureCore

/// The hand-off ledger in SQLite.
extension SQLiteStore: SalesLoopStore {
    static let summaryEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// Writes a pass's hand-offs and notices (inside the lead's commit): each hand-off is routed
    /// when it carries teams, linked to the rep's open request for the lead, if any, and its notices
    /// are keyed by its id and go to the rep it was routed to.
    func insertHandOffs(_ handOffs: [NewHandOff], notices: [NewNotice], leadID: String, at now: Date, db: Database) throws {
        var ids: [Int64] = []
        var routedTo: [Int: Rep] = [:]
        for (index, new) in handOffs.enumerated() {
            var handOff = new.handOff
            // The request is the one the engine's rep made: a hand-back routed past an away owner still answers it.
            let request = try Row.fetchOne(
                db, sql: "SELECT id FROM nurture_request WHERE lead_id = ? AND status = 'open' AND rep_email = ? ORDER BY id DESC LIMIT 1",
                arguments: [leadID, handOff.rep?.email.lowercased()])
            let requestID: Int64? = request?["id"]
            let decision = try new.routing.map { try route(handOff, leadID: leadID, rules: $0, db: db) }
            if let decision {
                handOff.rep = decision.rep
                routedTo[index] = decision.rep
            }
            try db.execute(
                sql: """
                    INSERT INTO hand_off (lead_id, sequence, reason, rep_email, rep_name, score, grade, at, due_at, status,
                        definitions_version, request_id, summary, route_reason)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)
                    """,
                arguments: [leadID, handOff.sequence, handOff.reason, handOff.rep?.email.lowercased(), handOff.rep?.name,
                            handOff.score, handOff.grade, Self.seconds(handOff.at), handOff.due.map(Self.seconds),
                            new.definitionsVersion, requestID, try new.summary.map { try Self.summaryEncoder.encode($0) },
                            decision?.reason.description])
            let id = db.lastInsertedRowID
            ids.append(id)
            if let decision {
                try db.execute(
                    sql: "INSERT INTO audit (at, lead_id, entry) VALUES (?, ?, ?)",
                    arguments: [Self.seconds(now), leadID, HandOffRoutingLedger.auditEntry(handOffID: id, decision: decision)])
            }
            if let requestID {
                try db.execute(
                    sql: "UPDATE nurture_request SET status = 'handed_back', hand_off_id = ? WHERE id = ?", arguments: [id, requestID])
            }
        }
        let insert = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO notice (key, lead_id, kind, channel, hand_off_id, rep_name, rep_email, detail, created_at,
                status, next_attempt_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)
            """)
        for (index, notice) in notices.enumerated() {
            let handOffID = notice.handOffIndex.flatMap { ids.indices.contains($0) ? ids[$0] : nil }
            let rep = notice.handOffIndex.flatMap { routedTo[$0] } ?? notice.rep
            // The same notice from the same pass has the same key: a pass that is run again after
            // a crash before its commit queues it once.
            let identity = handOffID.map { "hand_off|\($0)" }
                ?? "\(notice.kind.rawValue)|\(leadID)|\(Int64(notice.detail.at.timeIntervalSince1970 * 1000))|\(index)"
            for channel in notice.channels {
                try insert.execute(arguments: [
                    "\(identity)|\(channel.rawValue)", leadID, notice.kind.rawValue, channel.rawValue, handOffID, rep.name,
                    rep.email, try Self.summaryEncoder.encode(notice.detail), Self.seconds(now), Self.seconds(now),
                ])
            }
        }
    }

    /// Routes one hand-off by `HandOffRouting`, from the day's counts as this transaction sees them,
    /// and moves the rotation cursor. The cursor row is read first and written last: SQLite's write
    /// transaction already excludes other writers, so two scheduler processes never count the same
    /// day at once; the PostgreSQL store reads it `FOR UPDATE` to the same effect.
    func route(_ handOff: HandOff, leadID: String, rules: HandOffRouting.Rules, db: Database) throws -> HandOffRouting.Decision {
        let ledger = HandOffRoutingLedger(handOff, rules: rules)
        let cursor = try String.fetchOne(db, sql: "SELECT rep_email FROM routing_cursor WHERE id = 1")
        var assigned: [String: Int] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT rep_email, COUNT(*) AS n FROM hand_off WHERE at >= ? AND at < ? AND rep_email IS NOT NULL GROUP BY rep_email",
            arguments: [Self.seconds(ledger.span.lowerBound), Self.seconds(ledger.span.upperBound)]) {
            assigned[row["rep_email"]] = row["n"]
        }
        let rejectedBy = try String.fetchAll(
            db, sql: "SELECT DISTINCT rep_email FROM hand_off WHERE lead_id = ? AND status = 'rejected' AND rep_email IS NOT NULL",
            arguments: [leadID])
        let decision = ledger.decide(assigned: assigned, rejectedBy: rejectedBy, cursor: cursor)
        if decision.movesCursor {
            try db.execute(sql: "UPDATE routing_cursor SET rep_email = ? WHERE id = 1", arguments: [decision.rep.email.lowercased()])
        }
        return decision
    }

    /// The last rep the teams were given a hand-off (lower case), where the next tie is broken
    /// after: what a forecast starts its rotation from.
    public func routingCursor() throws -> String? {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT rep_email FROM routing_cursor WHERE id = 1") }
    }

    public func addHandOffs(_ handOffs: [NewHandOff], notices: [NewNotice], leadID: String, at now: Date) throws {
        try pool.write { db in try insertHandOffs(handOffs, notices: notices, leadID: leadID, at: now, db: db) }
    }

    public func history(of leadID: String, upTo now: Date) throws -> LeadHistory {
        let (sends, items) = try pool.read { db in
            let sends = try Row.fetchAll(
                db, sql: "SELECT sequence, step, finished_at FROM send WHERE lead_id = ? AND status = 'sent' AND finished_at <= ? ORDER BY finished_at",
                arguments: [leadID, Self.seconds(now)])
            let items = try Row.fetchAll(
                db, sql: "SELECT at, payload FROM inbox WHERE lead_id = ? AND at <= ? ORDER BY at, id", arguments: [leadID, Self.seconds(now)])
            return (sends, items)
        }
        let decoder = JSONDecoder()
        var history = LeadHistory()
        history.sent = sends.map { LeadHistory.SentEmail(sequence: $0["sequence"], step: $0["step"], at: Self.date($0["finished_at"])) }
        for item in items {
            guard let payload = try? decoder.decode(InboxItem.Payload.self, from: item["payload"] as Data),
                  case let .event(kind, category, sequence, step) = payload, let known = EngagementEvent.Kind(rawValue: kind)
            else { continue }
            history.moments.append(.init(
                event: EngagementEvent(known, category: category, sequence: sequence, step: step), at: Self.date(item["at"])))
        }
        return history
    }

    static let handOffColumns = """
        h.id, h.lead_id, l.email AS lead_email, h.sequence, h.reason, h.rep_name, h.rep_email, h.route_reason, h.score, h.grade, h.at,
        h.due_at, h.status, h.definitions_version, h.request_id, h.answered_at, h.answer, h.touch_due_at, h.touched_at,
        h.expired_at, h.summary
        """

    func handOffRecord(_ row: Row) -> HandOffRecord {
        func date(_ column: String) -> Date? { (row[column] as Double?).map(Self.date) }
        return HandOffRecord(
            id: row["id"], leadID: row["lead_id"], leadEmail: row["lead_email"] ?? "", sequence: row["sequence"], reason: row["reason"],
            repName: row["rep_name"], repEmail: row["rep_email"], routeReason: row["route_reason"], score: row["score"], grade: row["grade"], at: Self.date(row["at"]),
            due: date("due_at"), status: HandOffRecord.Status(rawValue: row["status"]) ?? .open,
            definitionsVersion: row["definitions_version"], requestID: row["request_id"], answeredAt: date("answered_at"),
            answer: row["answer"], touchDue: date("touch_due_at"), touchedAt: date("touched_at"), expiredAt: date("expired_at"),
            summary: (row["summary"] as Data?).flatMap { try? JSONDecoder().decode(EngagementSummary.self, from: $0) })
    }

    public func handOffs(_ filter: HandOffFilter, now: Date) throws -> [HandOffRecord] {
        var conditions: [String] = [], arguments: [DatabaseValueConvertible?] = []
        if let leadID = filter.leadID {
            conditions.append("h.lead_id = ?")
            arguments.append(leadID)
        }
        if let rep = filter.repEmail {
            conditions.append("h.rep_email = ?")
            arguments.append(rep.lowercased())
        }
        switch filter.status {
        case nil: break
        case .overdue:
            conditions.append("h.status = 'open' AND h.due_at < ?")
            arguments.append(Self.seconds(now))
        case let status?:
            conditions.append("h.status = ?")
            arguments.append(status.rawValue)
        }
        if let since = filter.since {
            conditions.append("h.at >= ?")
            arguments.append(Self.seconds(since))
        }
        if let until = filter.until {
            conditions.append("h.at < ?")
            arguments.append(Self.seconds(until))
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments.append(filter.limit)
        let rows = try pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Self.handOffColumns) FROM hand_off h LEFT JOIN lead l ON l.id = h.lead_id \(whereClause) ORDER BY h.at, h.id LIMIT ?",
                arguments: StatementArguments(arguments))
        }
        return rows.map(handOffRecord)
    }

    public func handOff(_ id: Int64) throws -> HandOffRecord? {
        try pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(Self.handOffColumns) FROM hand_off h LEFT JOIN lead l ON l.id = h.lead_id WHERE h.id = ?",
                arguments: [id])
        }.map(handOffRecord)
    }

    /// Queues a rep's action for the engine and logs it, inside a write.
    func queueAction(
        _ action: RepAction, leadID: String, handOffID: Int64?, at: Date, source: String, value: DealValue? = nil, db: Database
    ) throws {
        let item = InboxItem(
            id: "rep_action|\(leadID)|\(Int64(at.timeIntervalSince1970 * 1000))|\(action)", leadID: leadID, at: at,
            payload: .repAction(verb: action.verb, reason: action.reason))
        guard try insert(item, db: db) else { return }
        try logAction(action, leadID: leadID, handOffID: handOffID, at: at, source: source, value: value, db: db)
    }

    /// Keeps a rep's action in the log (for the ledger and closed-loop reports) and the audit trail.
    func logAction(
        _ action: RepAction, leadID: String, handOffID: Int64?, at: Date, source: String, value: DealValue? = nil, db: Database
    ) throws {
        try db.execute(
            sql: "INSERT INTO rep_action (lead_id, hand_off_id, action, at, source, amount_hundredths, currency) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [leadID, handOffID, action.description, Self.seconds(at), source, value?.hundredths, value?.currency])
        try db.execute(
            sql: "INSERT INTO audit (at, lead_id, entry) VALUES (?, ?, ?)",
            arguments: [Self.seconds(at), leadID, "rep action \(action)\(value.map { " worth \($0)" } ?? "") (\(source))"])
    }

    public func answer(_ id: Int64, with action: RepAction, accepted: Bool, touchDue: Date?, movesLead: Bool, at: Date, source: String) throws {
        try pool.write { db in
            guard let leadID = try String.fetchOne(db, sql: "SELECT lead_id FROM hand_off WHERE id = ?", arguments: [id]) else { return }
            try db.execute(
                sql: "UPDATE hand_off SET status = ?, answered_at = ?, answer = ?, touch_due_at = ? WHERE id = ?",
                arguments: [accepted ? "accepted" : "rejected", Self.seconds(at), action.description, touchDue.map(Self.seconds), id])
            if !accepted {
                try db.execute(
                    sql: "UPDATE nurture_request SET status = 'unused', closed_at = ? WHERE hand_off_id = ? AND status = 'handed_back'",
                    arguments: [Self.seconds(at), id])
            }
            if movesLead {
                try queueAction(action, leadID: leadID, handOffID: id, at: at, source: source, db: db)
            } else {
                try logAction(action, leadID: leadID, handOffID: id, at: at, source: source, db: db)
            }
        }
    }

    public func touch(_ id: Int64, at: Date) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE hand_off SET touched_at = ? WHERE id = ? AND touched_at IS NULL", arguments: [Self.seconds(at), id])
            guard db.changesCount > 0 else { return }
            // The request behind the hand-back is used when the touch kept the promise, late otherwise.
            try db.execute(
                sql: """
                    UPDATE nurture_request SET closed_at = ?1,
                        status = CASE WHEN (SELECT touch_due_at FROM hand_off WHERE id = ?2) IS NULL
                                        OR ?1 <= (SELECT touch_due_at FROM hand_off WHERE id = ?2) THEN 'used' ELSE 'late' END
                    WHERE hand_off_id = ?2 AND status = 'handed_back'
                        AND (SELECT status FROM hand_off WHERE id = ?2) = 'accepted'
                    """,
                arguments: [Self.seconds(at), id])
            try db.execute(
                sql: "INSERT INTO audit (at, lead_id, entry) SELECT ?, lead_id, ? FROM hand_off WHERE id = ?",
                arguments: [Self.seconds(at), "first touch on hand-off \(id)", id])
        }
    }

    public func recordAction(_ action: RepAction, leadID: String, handOffID: Int64?, at: Date, source: String) throws {
        try pool.write { db in try queueAction(action, leadID: leadID, handOffID: handOffID, at: at, source: source, db: db) }
    }

    public func recordUnsubscribe(leadID: String, messageKey: String, at: Date) throws -> Bool {
        try pool.write { db in
            guard let email = try String.fetchOne(db, sql: "SELECT email FROM lead WHERE id = ?", arguments: [leadID]) else { return false }
            try suppress(email, reason: "unsubscribe", at: at, db: db)
            let item = InboxItem(
                id: "unsubscribe|\(leadID)|\(messageKey)", leadID: leadID, at: at,
                payload: .event(kind: EngagementEvent.Kind.unsubscribe.rawValue, category: "one-click", sequence: nil, step: nil))
            if try insert(item, db: db) {
                try db.execute(
                    sql: "INSERT INTO audit (at, lead_id, entry) VALUES (?, ?, 'unsubscribed with one click')", arguments: [Self.seconds(at), leadID])
            }
            return true
        }
    }

    public func hasRecorded(_ action: RepAction, leadID: String, at: Date) throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM rep_action WHERE lead_id = ? AND action = ? AND at = ?)",
                arguments: [leadID, action.description, Self.seconds(at)]) ?? false
        }
    }

    public func expireHandOffs(now: Date) throws -> [HandOffRecord] {
        let rows = try pool.write { db -> [Row] in
            let at = Self.seconds(now)
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM hand_off WHERE status = 'open' AND due_at <= ?", arguments: [at])
            guard !ids.isEmpty else { return [] }
            let list = Self.placeholders(ids.count)
            try db.execute(
                sql: "UPDATE hand_off SET status = 'expired', expired_at = ? WHERE id IN (\(list))",
                arguments: StatementArguments([at as any DatabaseValueConvertible] + ids.map { $0 as any DatabaseValueConvertible }))
            try db.execute(
                sql: "UPDATE nurture_request SET status = 'unused', closed_at = ? WHERE status = 'handed_back' AND hand_off_id IN (\(list))",
                arguments: StatementArguments([at as any DatabaseValueConvertible] + ids.map { $0 as any DatabaseValueConvertible }))
            try db.execute(
                sql: "INSERT INTO audit (at, lead_id, entry) SELECT ?, lead_id, 'hand-off ' || id || ' expired unanswered' FROM hand_off WHERE id IN (\(list))",
                arguments: StatementArguments([at as any DatabaseValueConvertible] + ids.map { $0 as any DatabaseValueConvertible }))
            return try Row.fetchAll(
                db, sql: "SELECT \(Self.handOffColumns) FROM hand_off h LEFT JOIN lead l ON l.id = h.lead_id WHERE h.id IN (\(list)) ORDER BY h.id",
                arguments: StatementArguments(ids))
        }
        return rows.map(handOffRecord)
    }

    public func sentCounts(senders: [String], since: Date) throws -> [String: Int] {
        guard !senders.isEmpty else { return [:] }
        let unique = Array(Set(senders.map { $0.lowercased() }))
        return try pool.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(
                db, sql: """
                    SELECT sender_email, COUNT(*) AS sent FROM send
                    WHERE status = 'sent' AND finished_at >= ? AND sender_email IN (\(Self.placeholders(unique.count)))
                    GROUP BY sender_email
                    """,
                arguments: StatementArguments([Self.seconds(since)] + unique)) {
                counts[row["sender_email"]] = row["sent"]
            }
            return counts
        }
    }
}
