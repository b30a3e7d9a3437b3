import Foundation
import GRDB
import NurtureCore

/// One fact of a lead's recorded history, as `nurture export` writes it: an email sent, an event
/// that came in (machine opens keep their category `machine`), or a hand-off.
public struct HistoryEntry: Hashable, Sendable {
    public var leadID: String
    public var at: Date
    /// `email_sent`, `handed_off`, or an event kind (`email_open`, `reply`...).
    public var type: String
    public var category: String?
    public var step: String?
}

extension SQLiteStore {
    /// Every lead's sends, events and hand-offs, by lead and then time, handed to `each` in
    /// batches of one lead's worth so that the history of a large store is never all in memory.
    public func eachHistoryEntry(_ each: ([HistoryEntry]) throws -> Void) throws {
        let decoder = JSONDecoder()
        try pool.read { db in
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT lead_id, at, kind, detail FROM (
                    SELECT lead_id, finished_at AS at, 'email_sent' AS kind, step AS detail, 0 AS rank FROM send
                        WHERE status = 'sent' AND finished_at IS NOT NULL
                    UNION ALL SELECT lead_id, at, 'event', payload, 1 FROM inbox
                    UNION ALL SELECT lead_id, at, 'handed_off', NULL, 2 FROM hand_off
                ) ORDER BY lead_id, at, rank
                """)
            var batch: [HistoryEntry] = []
            while let row = try cursor.next() {
                let leadID: String = row["lead_id"]
                if let last = batch.last, last.leadID != leadID {
                    try each(batch)
                    batch.removeAll(keepingCapacity: true)
                }
                let at = Self.date(row["at"])
                let kind: String = row["kind"]
                switch kind {
                case "event":
                    // Only prospects' events: enrollments, rep actions and undelivered notes are the program's own.
                    guard let data = row["detail"] as Data?, let item = try? decoder.decode(InboxItem.Payload.self, from: data),
                          case let .event(type, category, _, step) = item else { continue }
                    batch.append(HistoryEntry(leadID: leadID, at: at, type: type, category: category, step: step))
                case "email_sent":
                    batch.append(HistoryEntry(leadID: leadID, at: at, type: kind, step: row["detail"]))
                default:
                    batch.append(HistoryEntry(leadID: leadID, at: at, type: kind))
                }
            }
            if !batch.isEmpty { try each(batch) }
        }
    }
}
