import Foundation
import NurtureCore
import NurtureStore
import PostgresNIO

/// The hand-off ledger, rep requests and rep actions on PostgreSQL: the SQLite store's statements,
/// each call one transaction.
extension PostgresStore {
    /// Writes a pass's hand-offs and notices (inside the lead's commit): each hand-off is routed
    /// when it carries teams, linked to the rep's open request for the lead, if any, and its notices
    /// are keyed by its id and go to the rep it was routed to.
    func insertHandOffs(_ handOffs: [NewHandOff], notices: [NewNotice], leadID: String, at now: Date, on connection: PostgresConnection) async throws {
        var ids: [Int64] = []
        var routedTo: [Int: Rep] = [:]
        for (index, new) in handOffs.enumerated() {
            var handOff = new.handOff
            // The request is the one the engine's rep made: a hand-back routed past an away owner still answers it.
            let requestID = try await connection.value(
                """
                SELECT id FROM nurture_request WHERE lead_id = \(leadID) AND status = 'open' AND rep_email = \(handOff.rep?.email.lowercased())
                ORDER BY id DESC LIMIT 1
                """, as: Int64.self, logger: logger)
            var decision: HandOffRouting.Decision?
            if let rules = new.routing {
                decision = try await route(handOff, leadID: leadID, rules: rules, on: connection)
                handOff.rep = decision?.rep
                routedTo[index] = decision?.rep
            }
            let repEmail = handOff.rep?.email.lowercased()
            let summary = try new.summary.map { try StoredForms.summaryEncoder.encode($0) }
            guard let id = try await connection.value(
                """
                INSERT INTO hand_off (lead_id, sequence, reason, rep_email, rep_name, score, grade, at, due_at, status,
                    definitions_version, request_id, summary, route_reason)
                VALUES (\(leadID), \(handOff.sequence), \(handOff.reason), \(repEmail), \(handOff.rep?.name), \(handOff.score),
                    \(handOff.grade), \(handOff.at.seconds), \(handOff.due?.seconds), 'open', \(new.definitionsVersion), \(requestID), \(summary),
                    \(decision?.reason.description))
                RETURNING id
                """, as: Int64.self, logger: logger)
            else { throw Failure(description: "PostgreSQL returned no id for a new hand-off") }
            ids.append(id)
            if let decision {
                try await connection.query(
                    """
                    INSERT INTO audit (at, lead_id, entry)
                    VALUES (\(now.seconds), \(leadID), \(HandOffRoutingLedger.auditEntry(handOffID: id, decision: decision)))
                    """, logger: logger)
            }
            if let requestID {
                try await connection.query(
                    "UPDATE nurture_request SET status = 'handed_back', hand_off_id = \(id) WHERE id = \(requestID)", logger: logger)
            }
        }
        for (index, notice) in notices.enumerated() {
            let handOffID = notice.handOffIndex.flatMap { ids.indices.contains($0) ? ids[$0] : nil }
            let rep = notice.handOffIndex.flatMap { routedTo[$0] } ?? notice.rep
            // The same notice from the same pass has the same key: a pass run again after a crash
            // before its commit queues it once.
            let identity = handOffID.map { "hand_off|\($0)" }
                ?? "\(notice.kind.rawValue)|\(leadID)|\(Int64(notice.detail.at.timeIntervalSince1970 * 1000))|\(index)"
            let detail = try StoredForms.summaryEncoder.encode(notice.detail)
            for channel in notice.channels {
                try await connection.query(
                    """
                    INSERT INTO notice (key, lead_id, kind, channel, hand_off_id, rep_name, rep_email, detail, created_at, status, next_attempt_at)
                    VALUES (\("\(identity)|\(channel.rawValue)"), \(leadID), \(notice.kind.rawValue), \(channel.rawValue), \(handOffID),
                        \(rep.name), \(rep.email), \(detail), \(now.seconds), 'pending', \(now.seconds))
                    ON CONFLICT (key) DO NOTHING
                    """, logger: logger)
            }
        }
    }

    /// Routes one hand-off by `HandOffRouting` inside the transaction that records it. The cursor's
    /// single row is locked first (`FOR UPDATE`), so concurrent writers, in this process or another,
    /// take turns: each counts the day with the hand-offs of those before it committed (under READ
    /// COMMITTED, PostgreSQL's default, every statement after the lock sees them), and no rep is
    /// given more than their share because two writers counted the same day at once.
    func route(_ handOff: HandOff, leadID: String, rules: HandOffRouting.Rules, on connection: PostgresConnection) async throws
        -> HandOffRouting.Decision
    {
        let ledger = HandOffRoutingLedger(handOff, rules: rules)
        let cursor = try await connection.value(
            "SELECT rep_email FROM routing_cursor WHERE id = 1 FOR UPDATE", as: String?.self, logger: logger) ?? nil
        var assigned: [String: Int] = [:]
        for try await (rep, count) in try await connection.query(
            """
            SELECT rep_email, COUNT(*)::bigint FROM hand_off
            WHERE at >= \(ledger.span.lowerBound.seconds) AND at < \(ledger.span.upperBound.seconds) AND rep_email IS NOT NULL
            GROUP BY rep_email
            """, logger: logger
        ).decode((String, Int64).self) {
            assigned[rep] = Int(count)
        }
        var rejectedBy: [String] = []
        for try await rep in try await connection.query(
            "SELECT DISTINCT rep_email FROM hand_off WHERE lead_id = \(leadID) AND status = 'rejected' AND rep_email IS NOT NULL",
            logger: logger
        ).decode(String.self) {
            rejectedBy.append(rep)
        }
        let decision = ledger.decide(assigned: assigned, rejectedBy: rejectedBy, cursor: cursor)
        if decision.movesCursor {
            try await connection.query(
                "UPDATE routing_cursor SET rep_email = \(decision.rep.email.lowercased()) WHERE id = 1", logger: logger)
        }
        return decision
    }

    /// The last rep the teams were given a hand-off (lower case), where the next tie is broken
    /// after: what a forecast starts its rotation from.
    public func routingCursor() throws -> String? {
        try transaction { connection in
            try await connection.value("SELECT rep_email FROM routing_cursor WHERE id = 1", as: String?.self, logger: self.logger) ?? nil
        }
    }

    public func addHandOffs(_ handOffs: [NewHandOff], notices: [NewNotice], leadID: String, at now: Date) throws {
        try transaction { connection in
            try await self.insertHandOffs(handOffs, notices: notices, leadID: leadID, at: now, on: connection)
        }
    }

    public func history(of leadID: String, upTo now: Date) throws -> LeadHistory {
        let (sends, items) = try transaction { connection -> ([PostgresRandomAccessRow], [PostgresRandomAccessRow]) in
            let sends = try await connection.rows(
                """
                SELECT sequence, step, finished_at FROM send
                WHERE lead_id = \(leadID) AND status = 'sent' AND finished_at <= \(now.seconds) ORDER BY finished_at
                """, logger: self.logger)
            let items = try await connection.rows(
                "SELECT at, payload FROM inbox WHERE lead_id = \(leadID) AND at <= \(now.seconds) ORDER BY at, id", logger: self.logger)
            return (sends, items)
        }
        var history = LeadHistory()
        history.sent = try sends.map {
            LeadHistory.SentEmail(sequence: try $0["sequence"], step: try $0["step"], at: Date(timeIntervalSince1970: try $0["finished_at"]))
        }
        for item in items {
            guard let payload = try? StoredForms.payload(from: try item["payload"]),
                  case let .event(kind, category, sequence, step) = payload, let known = EngagementEvent.Kind(rawValue: kind)
            else { continue }
            history.moments.append(.init(
                event: EngagementEvent(known, category: category, sequence: sequence, step: step),
                at: Date(timeIntervalSince1970: try item["at"])))
        }
        return history
    }

    static let handOffColumns = """
        h.id, h.lead_id, l.email AS lead_email, h.sequence, h.reason, h.rep_name, h.rep_email, h.route_reason, h.score, h.grade, h.at,
        h.due_at, h.status, h.definitions_version, h.request_id, h.answered_at, h.answer, h.touch_due_at, h.touched_at,
        h.expired_at, h.summary
        """

    func handOffRecord(_ row: PostgresRandomAccessRow) throws -> HandOffRecord {
        HandOffRecord.stored(
            id: try row["id"], leadID: try row["lead_id"], leadEmail: try row["lead_email", as: String?.self] ?? "",
            sequence: try row["sequence"], reason: try row["reason"], repName: try row["rep_name"], repEmail: try row["rep_email"],
            score: try row["score"], grade: try row["grade"], at: Date(timeIntervalSince1970: try row["at"]), due: try row.date("due_at"),
            status: HandOffRecord.Status(rawValue: try row["status"]) ?? .open, definitionsVersion: try row["definitions_version"],
            requestID: try row["request_id"], answeredAt: try row.date("answered_at"), answer: try row["answer"],
            touchDue: try row.date("touch_due_at"), touchedAt: try row.date("touched_at"), expiredAt: try row.date("expired_at"),
            summary: try row["summary", as: Data?.self].flatMap { try? JSONDecoder().decode(EngagementSummary.self, from: $0) },
            routeReason: try row["route_reason"])
    }

    public func handOffs(_ filter: HandOffFilter, now: Date) throws -> [HandOffRecord] {
        // Every condition is always present, switched off by a NULL: one statement whatever the filter.
        let status: String? = filter.status.flatMap { $0 == .overdue ? nil : $0.rawValue }
        let overdue = filter.status == .overdue
        let rows = try transaction { connection in
            try await connection.rows(
                """
                SELECT \(unescaped: Self.handOffColumns) FROM hand_off h LEFT JOIN lead l ON l.id = h.lead_id
                WHERE (\(filter.leadID)::text IS NULL OR h.lead_id = \(filter.leadID))
                    AND (\(filter.repEmail?.lowercased())::text IS NULL OR h.rep_email = \(filter.repEmail?.lowercased()))
                    AND (\(status)::text IS NULL OR h.status = \(status))
                    AND (NOT \(overdue) OR (h.status = 'open' AND h.due_at < \(now.seconds)))
                    AND (\(filter.since?.seconds)::float8 IS NULL OR h.at >= \(filter.since?.seconds))
                    AND (\(filter.until?.seconds)::float8 IS NULL OR h.at < \(filter.until?.seconds))
                ORDER BY h.at, h.id LIMIT \(filter.limit)
                """, logger: self.logger)
        }
        return try rows.map(handOffRecord)
    }

    public func handOff(_ id: Int64) throws -> HandOffRecord? {
        try transaction { connection in
            try await connection.rows(
                "SELECT \(unescaped: Self.handOffColumns) FROM hand_off h LEFT JOIN lead l ON l.id = h.lead_id WHERE h.id = \(id)",
                logger: self.logger).first
        }.map(handOffRecord)
    }

    /// Queues a rep's action for the engine and logs it, inside a transaction.
    func queueAction(
        _ action: RepAction, leadID: String, handOffID: Int64?, at: Date, source: String, value: DealValue? = nil,
        on connection: PostgresConnection
    ) async throws {
        let item = InboxItem(
            id: "rep_action|\(leadID)|\(Int64(at.timeIntervalSince1970 * 1000))|\(action)", leadID: leadID, at: at,
            payload: .repAction(verb: action.verb, reason: action.reason))
        guard try await insert([item], on: connection) > 0 else { return }
        try await logAction(action, leadID: leadID, handOffID: handOffID, at: at, source: source, value: value, on: connection)
    }

    /// Keeps a rep's action in the log (for the ledger and closed-loop reports) and the audit trail.
    func logAction(
        _ action: RepAction, leadID: String, handOffID: Int64?, at: Date, source: String, value: DealValue? = nil,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO rep_action (lead_id, hand_off_id, action, at, source, amount_hundredths, currency)
            VALUES (\(leadID), \(handOffID), \(action.description), \(at.seconds), \(source), \(value?.hundredths), \(value?.currency))
            """, logger: logger)
        let worth = value.map { " worth \($0)" } ?? ""
        try await connection.query(
            "INSERT INTO audit (at, lead_id, entry) VALUES (\(at.seconds), \(leadID), \("rep action \(action)\(worth) (\(source))"))",
            logger: logger)
    }

    public func answer(_ id: Int64, with action: RepAction, accepted: Bool, touchDue: Date?, movesLead: Bool, at: Date, source: String) throws {
        try transaction { connection -> Void in
            guard let leadID = try await connection.value("SELECT lead_id FROM hand_off WHERE id = \(id)", as: String.self, logger: self.logger)
            else { return }
            try await connection.query(
                """
                UPDATE hand_off SET status = \(accepted ? "accepted" : "rejected"), answered_at = \(at.seconds),
                    answer = \(action.description), touch_due_at = \(touchDue?.seconds) WHERE id = \(id)
                """, logger: self.logger)
            if !accepted {
                try await connection.query(
                    "UPDATE nurture_request SET status = 'unused', closed_at = \(at.seconds) WHERE hand_off_id = \(id) AND status = 'handed_back'",
                    logger: self.logger)
            }
            if movesLead {
                try await self.queueAction(action, leadID: leadID, handOffID: id, at: at, source: source, on: connection)
            } else {
                try await self.logAction(action, leadID: leadID, handOffID: id, at: at, source: source, on: connection)
            }
        }
    }

    public func touch(_ id: Int64, at: Date) throws {
        try transaction { connection -> Void in
            guard try await connection.execute(
                "UPDATE hand_off SET touched_at = \(at.seconds) WHERE id = \(id) AND touched_at IS NULL RETURNING 1", logger: self.logger) > 0
            else { return }
            // The request behind the hand-back is used when the touch kept the promise, late otherwise.
            try await connection.query(
                """
                UPDATE nurture_request SET closed_at = \(at.seconds),
                    status = CASE WHEN h.touch_due_at IS NULL OR \(at.seconds) <= h.touch_due_at THEN 'used' ELSE 'late' END
                FROM hand_off h
                WHERE h.id = \(id) AND nurture_request.hand_off_id = h.id AND nurture_request.status = 'handed_back' AND h.status = 'accepted'
                """, logger: self.logger)
            try await connection.query(
                "INSERT INTO audit (at, lead_id, entry) SELECT \(at.seconds), lead_id, \("first touch on hand-off \(id)") FROM hand_off WHERE id = \(id)",
                logger: self.logger)
        }
    }

    public func recordAction(_ action: RepAction, leadID: String, handOffID: Int64?, at: Date, source: String) throws {
        try transaction { connection in
            try await self.queueAction(action, leadID: leadID, handOffID: handOffID, at: at, source: source, on: connection)
        }
    }

    public func recordUnsubscribe(leadID: String, messageKey: String, at: Date) throws -> Bool {
        try transaction { connection -> Bool in
            guard let email = try await connection.value("SELECT email FROM lead WHERE id = \(leadID)", as: String.self, logger: self.logger)
            else { return false }
            try await self.suppress(email, reason: "unsubscribe", at: at, on: connection)
            let item = InboxItem(
                id: "unsubscribe|\(leadID)|\(messageKey)", leadID: leadID, at: at,
                payload: .event(kind: EngagementEvent.Kind.unsubscribe.rawValue, category: "one-click", sequence: nil, step: nil))
            if try await self.insert([item], on: connection) > 0 {
                try await connection.query(
                    "INSERT INTO audit (at, lead_id, entry) VALUES (\(at.seconds), \(leadID), 'unsubscribed with one click')", logger: self.logger)
            }
            return true
        }
    }

    public func hasRecorded(_ action: RepAction, leadID: String, at: Date) throws -> Bool {
        try transaction { connection in
            try await connection.value(
                "SELECT EXISTS (SELECT 1 FROM rep_action WHERE lead_id = \(leadID) AND action = \(action.description) AND at = \(at.seconds))",
                as: Bool.self, logger: self.logger) ?? false
        }
    }

    public func expireHandOffs(now: Date) throws -> [HandOffRecord] {
        let rows = try transaction { connection -> [PostgresRandomAccessRow] in
            let at = now.seconds
            var ids: [Int64] = []
            for try await id in try await connection.query(
                "UPDATE hand_off SET status = 'expired', expired_at = \(at) WHERE status = 'open' AND due_at <= \(at) RETURNING id",
                logger: self.logger).decode(Int64.self) {
                ids.append(id)
            }
            guard !ids.isEmpty else { return [] }
            try await connection.query(
                "UPDATE nurture_request SET status = 'unused', closed_at = \(at) WHERE status = 'handed_back' AND hand_off_id = ANY(\(ids))",
                logger: self.logger)
            try await connection.query(
                """
                INSERT INTO audit (at, lead_id, entry)
                SELECT \(at), lead_id, 'hand-off ' || id || ' expired unanswered' FROM hand_off WHERE id = ANY(\(ids)) ORDER BY id
                """, logger: self.logger)
            return try await connection.rows(
                """
                SELECT \(unescaped: Self.handOffColumns) FROM hand_off h LEFT JOIN lead l ON l.id = h.lead_id
                WHERE h.id = ANY(\(ids)) ORDER BY h.id
                """, logger: self.logger)
        }
        return try rows.map(handOffRecord)
    }

    // MARK: Requests

    public func addRequest(
        leadID: String, sequence: String, rep: Rep, note: String?, until: Date?, newOwner: Lead?, at: Date
    ) throws -> Int64 {
        let profile = newOwner.map(StoredForms.profile)
        return try transaction { connection -> Int64 in
            if let profile {
                try await connection.query(
                    "UPDATE lead SET profile = \(profile), updated_at = \(at.seconds) WHERE id = \(leadID)", logger: self.logger)
            }
            guard let id = try await connection.value(
                """
                INSERT INTO nurture_request (lead_id, sequence, rep_name, rep_email, note, until_at, status, created_at)
                VALUES (\(leadID), \(sequence), \(rep.name), \(rep.email.lowercased()), \(note), \(until?.seconds), 'open', \(at.seconds))
                RETURNING id
                """, as: Int64.self, logger: self.logger)
            else { throw Failure(description: "PostgreSQL returned no id for a new request") }
            _ = try await self.insert([InboxItem.enrollment(in: sequence, leadID: leadID, at: at)], on: connection)
            try await connection.query(
                """
                INSERT INTO audit (at, lead_id, entry)
                VALUES (\(at.seconds), \(leadID), \("nurture requested by \(rep.email) in \(sequence) (request \(id))"))
                """, logger: self.logger)
            return id
        }
    }

    func nurtureRequest(_ row: PostgresRandomAccessRow) throws -> NurtureRequest {
        NurtureRequest.stored(
            id: try row["id"], leadID: try row["lead_id"], sequence: try row["sequence"], repName: try row["rep_name"],
            repEmail: try row["rep_email"], note: try row["note"], until: try row.date("until_at"),
            status: NurtureRequest.Status(rawValue: try row["status"]) ?? .open, createdAt: Date(timeIntervalSince1970: try row["created_at"]),
            handOffID: try row["hand_off_id"], closedAt: try row.date("closed_at"))
    }

    public func requests(leadID: String?, repEmail: String?, since: Date?, until: Date?) throws -> [NurtureRequest] {
        let rep = repEmail?.lowercased()
        return try transaction { connection in
            try await connection.rows(
                """
                SELECT * FROM nurture_request
                WHERE (\(leadID)::text IS NULL OR lead_id = \(leadID)) AND (\(rep)::text IS NULL OR rep_email = \(rep))
                    AND (\(since?.seconds)::float8 IS NULL OR created_at >= \(since?.seconds))
                    AND (\(until?.seconds)::float8 IS NULL OR created_at < \(until?.seconds))
                ORDER BY created_at, id
                """, logger: self.logger)
        }.map(nurtureRequest)
    }

    public func request(_ id: Int64) throws -> NurtureRequest? {
        try transaction { connection in
            try await connection.rows("SELECT * FROM nurture_request WHERE id = \(id)", logger: self.logger).first
        }.map(nurtureRequest)
    }

    public func cancelRequest(_ id: Int64, at: Date) throws {
        try transaction { connection in
            try await connection.query(
                "UPDATE nurture_request SET status = 'abandoned', closed_at = \(at.seconds) WHERE id = \(id) AND status IN ('open', 'handed_back')",
                logger: self.logger)
            try await connection.query(
                "INSERT INTO audit (at, lead_id, entry) SELECT \(at.seconds), lead_id, \("request \(id) cancelled by the rep") FROM nurture_request WHERE id = \(id)",
                logger: self.logger)
        }
    }

    public func closeLapsedRequests(now: Date) throws -> Int {
        try transaction { connection in
            try await connection.execute(
                "UPDATE nurture_request SET status = 'unused', closed_at = \(now.seconds) WHERE status = 'open' AND until_at < \(now.seconds) RETURNING 1",
                logger: self.logger)
        }
    }
}
