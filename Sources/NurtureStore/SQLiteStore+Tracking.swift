import Foundation
import GRDB
import NurtureCore

/// Click and open tracking in SQLite: the stored link addresses, and every open and click, each
/// recorded with its engine event in one transaction (shared with other requests' by `GroupCommit`).
extension SQLiteStore: TrackingStore {
    public func record(_ outcome: SendOutcome, for key: String, links: [String], now: Date) throws {
        try record([OutcomeRecord(key: key, outcome: outcome, links: links)], now: now)
    }

    public func record(_ records: [OutcomeRecord], now: Date) throws {
        guard !records.isEmpty else { return }
        try pool.write { db in
            let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO message_link (message_key, link, url) VALUES (?, ?, ?)")
            for record in records {
                try self.record(record.outcome, for: record.key, now: now, db: db)
                guard case .sent = record.outcome else { continue }
                // A send recorded twice (a crash between the relay's answer and this commit) keeps one row per link.
                for (index, url) in record.links.enumerated() {
                    try insert.execute(arguments: [record.key, index, url])
                }
            }
        }
    }

    public func recordClick(
        _ hit: TrackingHit, classify: @escaping @Sendable (TrackedMessage) -> String?
    ) async throws -> (url: String, rule: String?)? {
        guard let link = hit.link else { return nil }
        // Many clicks arrive at once: they share commits (see `GroupCommit`), each answered after its own.
        return try await groupCommit.write { db -> (url: String, rule: String?)? in
            guard let url = try String.fetchOne(
                db.cachedStatement(sql: "SELECT url FROM message_link WHERE message_key = ? AND link = ?"), arguments: [hit.messageKey, link])
            else { return nil }
            return try self.record(hit, kind: .emailClick, classify: classify, db: db).map { (url, $0) }
        }
    }

    public func recordOpen(_ hit: TrackingHit, classify: @escaping @Sendable (TrackedMessage) -> String?) async throws -> String?? {
        try await groupCommit.write { db in try self.record(hit, kind: .emailOpen, classify: classify, db: db) }
    }

    /// Records an open or click on a message sent to `hit.leadID`, and queues its event for the
    /// engine (category `machine` when `classify` names a rule). Returns the rule (`.some(nil)` for
    /// a person), or nil when there is no such message.
    private func record(
        _ hit: TrackingHit, kind: EngagementEvent.Kind, classify: (TrackedMessage) -> String?, db: Database
    ) throws -> String?? {
        // The message and its number of links in one read; earlier clicks only for a click, whose
        // burst rule reads them.
        guard let send = try Row.fetchOne(
            db.cachedStatement(sql: """
                SELECT lead_id, sequence, step, finished_at, (SELECT COUNT(*) FROM message_link WHERE message_key = send.key) AS links
                FROM send WHERE key = ? AND status = 'sent'
                """),
            arguments: [hit.messageKey]),
            send["lead_id"] as String == hit.leadID
        else { return nil }
        let linkCount: Int = send["links"]
        let recent = kind != .emailClick ? [] : try Row.fetchAll(
            db.cachedStatement(sql: "SELECT link, at FROM tracked_event WHERE message_key = ? AND kind = 'click' AND at >= ? ORDER BY at"),
            arguments: [hit.messageKey, Self.seconds(hit.clicksSince)]
        ).map { (link: $0["link"] as Int, at: Self.date($0["at"])) }
        let rule = classify(TrackedMessage(
            deliveredAt: (send["finished_at"] as Double?).map(Self.date), linkCount: linkCount, recentClicks: recent))
        try db.cachedStatement(sql: "INSERT INTO tracked_event (message_key, kind, link, at, machine_rule) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [hit.messageKey, kind == .emailClick ? "click" : "open", hit.link, Self.seconds(hit.at), rule])
        let item = InboxItem(
            id: "tracked|\(db.lastInsertedRowID)", leadID: hit.leadID, at: hit.at,
            payload: .event(kind: kind.rawValue, category: rule == nil ? nil : "machine", sequence: send["sequence"], step: send["step"]))
        _ = try insert(item, db: db)
        return .some(rule)
    }
}
