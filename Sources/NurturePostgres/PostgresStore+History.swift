import Foundation
import NurtureCore
import NurtureStore
import PostgresNIO

/// The recorded history for `nurture export` on PostgreSQL: the SQLite store's union of sends,
/// events and hand-offs, read a page of leads at a time so that memory stays flat.
extension PostgresStore: HistoryStore {
    public func eachHistoryEntry(_ each: ([HistoryEntry]) throws -> Void) throws {
        var next = ""
        while true {
            // The page's last lead, and the history of the page's leads; nil after the last page.
            let after = next
            let page = try transaction { connection -> (last: String, rows: [PostgresRandomAccessRow])? in
                guard let last = try await connection.value(
                    "SELECT max(id) FROM (SELECT id FROM lead WHERE id > \(after) ORDER BY id LIMIT \(Self.leadPage)) page",
                    as: String?.self, logger: self.logger) ?? nil
                else { return nil }
                let rows = try await connection.rows(
                    """
                    SELECT lead_id, at, kind, step, payload FROM (
                        SELECT lead_id, finished_at AS at, 'email_sent' AS kind, step, NULL::bytea AS payload, 0 AS rank FROM send
                            WHERE status = 'sent' AND finished_at IS NOT NULL AND lead_id > \(after) AND lead_id <= \(last)
                        UNION ALL SELECT lead_id, at, 'event', NULL, payload, 1 FROM inbox WHERE lead_id > \(after) AND lead_id <= \(last)
                        UNION ALL SELECT lead_id, at, 'handed_off', NULL, NULL, 2 FROM hand_off WHERE lead_id > \(after) AND lead_id <= \(last)
                    ) history ORDER BY lead_id, at, rank
                    """, logger: self.logger)
                return (last, rows)
            }
            guard let (last, rows) = page else { return }
            var batch: [HistoryEntry] = []
            for row in rows {
                let leadID: String = try row["lead_id"]
                if let last = batch.last, last.leadID != leadID {
                    try each(batch)
                    batch.removeAll(keepingCapacity: true)
                }
                let at = Date(timeIntervalSince1970: try row["at"])
                let kind: String = try row["kind"]
                switch kind {
                case "event":
                    // Only prospects' events: enrollments, rep actions and undelivered notes are the program's own.
                    guard let data = try row["payload", as: Data?.self], let item = try? StoredForms.payload(from: data),
                          case let .event(type, category, _, step) = item else { continue }
                    batch.append(.stored(leadID: leadID, at: at, type: type, category: category, step: step))
                case "email_sent":
                    batch.append(.stored(leadID: leadID, at: at, type: kind, step: try row["step"]))
                default:
                    batch.append(.stored(leadID: leadID, at: at, type: kind))
                }
            }
            if !batch.isEmpty { try each(batch) }
            next = last
        }
    }
}
