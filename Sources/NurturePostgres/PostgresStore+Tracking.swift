import Foundation
import NurtureCore
import NurtureStore
import PostgresNIO

/// Click and open tracking on PostgreSQL: each open or click recorded with its engine event in one
/// transaction. These calls are asynchronous already, so they run on the pool without the bridge.
extension PostgresStore {
    public func record(_ outcome: SendOutcome, for key: String, links: [String], now: Date) throws {
        try record([OutcomeRecord(key: key, outcome: outcome, links: links)], now: now)
    }

    /// Sent messages alone (nearly always) are recorded in one statement, without BEGIN and COMMIT.
    public func record(_ records: [OutcomeRecord], now: Date) throws {
        guard !records.isEmpty else { return }
        let work: @Sendable (PostgresConnection) async throws -> Void = { connection in try await self.record(records, now: now, on: connection) }
        let allSent = records.allSatisfy { if case .sent = $0.outcome { true } else { false } }
        try allSent ? statement(work) : transaction(work)
    }

    public func recordClick(
        _ hit: TrackingHit, classify: @escaping @Sendable (TrackedMessage) -> String?
    ) async throws -> (url: String, rule: String?)? {
        guard let link = hit.link else { return nil }
        let recorded = try await transactionAsync { connection -> Recorded? in
            guard let url = try await connection.value(
                "SELECT url FROM message_link WHERE message_key = \(hit.messageKey) AND link = \(link)", as: String.self, logger: self.logger)
            else { return nil }
            return try await self.record(hit, kind: .emailClick, classify: classify, on: connection).map { Recorded(url: url, rule: $0) }
        }
        return recorded.map { ($0.url, $0.rule) }
    }

    public func recordOpen(_ hit: TrackingHit, classify: @escaping @Sendable (TrackedMessage) -> String?) async throws -> String?? {
        let recorded = try await transactionAsync { connection in
            try await self.record(hit, kind: .emailOpen, classify: classify, on: connection).map { Recorded(url: "", rule: $0) }
        }
        return recorded.map { $0.rule }
    }

    /// What one hit recorded: the link's address (for a click) and the machine rule that fired.
    private struct Recorded: Sendable {
        var url: String
        var rule: String?
    }

    /// Records an open or click on a message sent to `hit.leadID`, and queues its event for the
    /// engine. Returns the rule (`.some(nil)` for a person), or nil when there is no such message.
    private func record(
        _ hit: TrackingHit, kind: EngagementEvent.Kind, classify: (TrackedMessage) -> String?, on connection: PostgresConnection
    ) async throws -> String?? {
        // The message row is locked, so that concurrent clicks on it see each other.
        guard let send = try await connection.rows(
            """
            SELECT lead_id, sequence, step, finished_at, (SELECT COUNT(*) FROM message_link WHERE message_key = send.key) AS links
            FROM send WHERE key = \(hit.messageKey) AND status = 'sent' FOR UPDATE
            """, logger: logger).first,
            try send["lead_id", as: String.self] == hit.leadID
        else { return nil }
        var recent: [(link: Int, at: Date)] = []
        if kind == .emailClick {
            for try await (link, at) in try await connection.query(
                """
                SELECT link, at FROM tracked_event
                WHERE message_key = \(hit.messageKey) AND kind = 'click' AND at >= \(hit.clicksSince.seconds) ORDER BY at
                """, logger: logger).decode((Int, Double).self) {
                recent.append((link, Date(timeIntervalSince1970: at)))
            }
        }
        let rule = classify(TrackedMessage.known(deliveredAt: try send.date("finished_at"), linkCount: try send["links"], recentClicks: recent))
        guard let id = try await connection.value(
            """
            INSERT INTO tracked_event (message_key, kind, link, at, machine_rule)
            VALUES (\(hit.messageKey), \(kind == .emailClick ? "click" : "open"), \(hit.link), \(hit.at.seconds), \(rule))
            RETURNING id
            """, as: Int64.self, logger: logger)
        else { throw Failure(description: "PostgreSQL returned no id for a tracked event") }
        let item = InboxItem(
            id: "tracked|\(id)", leadID: hit.leadID, at: hit.at,
            payload: .event(kind: kind.rawValue, category: rule == nil ? nil : "machine", sequence: try send["sequence"], step: try send["step"]))
        _ = try await insert([item], on: connection)
        return .some(rule)
    }
}
