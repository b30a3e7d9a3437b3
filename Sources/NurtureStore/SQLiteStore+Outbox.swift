import Foundation
import GRDB

/// The two outboxes, nurture sends (`send`) and rep notices (`notice`), share their leasing:
/// claimed in batches by due time, marked as being sent before any traffic, and put back when a
/// lease runs out.
extension SQLiteStore {
    enum Outbox: String {
        case send, notice
    }

    /// Puts items whose lease ran out (their process died mid-send) back in the queue.
    func rescueExpired(in outbox: Outbox, now: Date) throws -> Int {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE \(outbox.rawValue) SET status = 'pending', lease_until = NULL WHERE status = 'sending' AND lease_until < ?",
                arguments: [Self.seconds(now)])
            return db.changesCount
        }
    }

    /// Leases up to `limit` items due at `now`, counting the attempt; returns their rows.
    func claimDue(in outbox: Outbox, now: Date, limit: Int, leaseUntil: Date) throws -> [Row] {
        try pool.write { db in try claimDue(in: outbox, now: now, limit: limit, leaseUntil: leaseUntil, db: db) }
    }

    /// `claimDue` inside a write the caller holds.
    func claimDue(in outbox: Outbox, now: Date, limit: Int, leaseUntil: Date, db: Database) throws -> [Row] {
        try Row.fetchAll(
            db.cachedStatement(sql: """
                UPDATE \(outbox.rawValue) SET status = 'sending', lease_until = ?1, attempts = attempts + 1,
                    first_attempt_at = COALESCE(first_attempt_at, ?2)
                WHERE key IN (
                    SELECT key FROM \(outbox.rawValue) WHERE status = 'pending' AND next_attempt_at <= ?2
                    ORDER BY next_attempt_at LIMIT ?3)
                RETURNING *
                """),
            arguments: [Self.seconds(leaseUntil), Self.seconds(now), limit])
    }
}
