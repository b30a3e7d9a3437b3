import Foundation
import NurtureCore
import NurtureStore
import PostgresNIO

/// The outbox of rep notices on PostgreSQL: a few per hand-off, claimed like sends with
/// `FOR UPDATE SKIP LOCKED`, from the `notice` table itself (its partial index `notice_due` keeps
/// the claim off the finished rows).
extension PostgresStore {
    public func rescueExpiredNotices(now: Date) throws -> Int {
        try transaction { connection in
            try await connection.execute(
                """
                UPDATE notice SET status = 'pending', lease_until = NULL WHERE status = 'sending' AND lease_until < \(now.seconds) RETURNING 1
                """, logger: self.logger)
        }
    }

    public func claimDueNotices(now: Date, limit: Int, leaseUntil: Date) throws -> [RepNotice] {
        let rows = try transaction { connection in
            try await connection.rows(
                """
                WITH picked AS (
                    SELECT key FROM notice WHERE status = 'pending' AND next_attempt_at <= \(now.seconds)
                    ORDER BY next_attempt_at LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                UPDATE notice SET status = 'sending', lease_until = \(leaseUntil.seconds), attempts = attempts + 1,
                    first_attempt_at = COALESCE(first_attempt_at, \(now.seconds))
                FROM picked WHERE notice.key = picked.key
                RETURNING notice.*
                """, logger: self.logger)
        }
        let decoder = JSONDecoder()
        var unreadable: [String] = []
        var notices: [RepNotice] = []
        for row in rows {
            guard let kind = RepNotice.Kind(rawValue: try row["kind"]), let channel = RepNotice.Channel(rawValue: try row["channel"]),
                  let detail = try? decoder.decode(RepNotice.Detail.self, from: try row["detail", as: Data.self])
            else {
                unreadable.append(try row["key"])
                continue
            }
            notices.append(RepNotice.stored(
                key: try row["key"], leadID: try row["lead_id"], kind: kind, channel: channel, handOffID: try row["hand_off_id"],
                repName: try row["rep_name"], repEmail: try row["rep_email"], detail: detail, attempts: try row["attempts"],
                firstAttemptAt: try row.date("first_attempt_at")))
        }
        // A row this version cannot read fails where `status` shows it, instead of going round for ever.
        for key in unreadable {
            try record(.failed(code: 0, text: "the notice cannot be read by this version", suppress: false), forNotice: key, now: now)
        }
        return notices
    }

    public func record(_ outcome: SendOutcome, forNotice key: String, now: Date) throws {
        let at = now.seconds
        try transaction { connection -> Void in
            try await connection.query(Self.outcomeUpdate(outcome, of: .notice, key: key, now: now), logger: self.logger)
            try await connection.query(
                """
                INSERT INTO audit (at, lead_id, entry)
                SELECT \(at), lead_id, \("notice \(key): \(StoredForms.auditText(outcome))") FROM notice WHERE key = \(key)
                """, logger: self.logger)
        }
    }
}
