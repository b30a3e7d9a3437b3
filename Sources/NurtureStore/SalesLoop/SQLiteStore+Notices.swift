import Foundation
import GRDB
import NurtureCore

/// The outbox of rep notices in SQLite: claimed and recorded like sends, with leases.
extension SQLiteStore {
    public func rescueExpiredNotices(now: Date) throws -> Int {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE notice SET status = 'pending', lease_until = NULL WHERE status = 'sending' AND lease_until < ?",
                arguments: [Self.seconds(now)])
            return db.changesCount
        }
    }

    public func claimDueNotices(now: Date, limit: Int, leaseUntil: Date) throws -> [RepNotice] {
        let rows = try pool.write { db in
            try Row.fetchAll(
                db.cachedStatement(sql: """
                    UPDATE notice SET status = 'sending', lease_until = ?1, attempts = attempts + 1,
                        first_attempt_at = COALESCE(first_attempt_at, ?2)
                    WHERE key IN (
                        SELECT key FROM notice WHERE status = 'pending' AND next_attempt_at <= ?2
                        ORDER BY next_attempt_at LIMIT ?3)
                    RETURNING *
                    """),
                arguments: [Self.seconds(leaseUntil), Self.seconds(now), limit])
        }
        let decoder = JSONDecoder()
        return rows.compactMap { row in
            guard let kind = RepNotice.Kind(rawValue: row["kind"]), let channel = RepNotice.Channel(rawValue: row["channel"]),
                  let detail = try? decoder.decode(RepNotice.Detail.self, from: row["detail"] as Data)
            else { return nil }
            return RepNotice(
                key: row["key"], leadID: row["lead_id"], kind: kind, channel: channel, handOffID: row["hand_off_id"],
                repName: row["rep_name"], repEmail: row["rep_email"], detail: detail, attempts: row["attempts"],
                firstAttemptAt: (row["first_attempt_at"] as Double?).map(Self.date))
        }
    }

    public func record(_ outcome: SendOutcome, forNotice key: String, now: Date) throws {
        let at = Self.seconds(now)
        try pool.write { db in
            switch outcome {
            case let .sent(_, code, text):
                try db.execute(
                    sql: "UPDATE notice SET status = 'sent', lease_until = NULL, last_code = ?, last_text = ?, finished_at = ? WHERE key = ?",
                    arguments: [code, text, at, key])
            case let .retry(retryAt, code, text):
                try db.execute(
                    sql: "UPDATE notice SET status = 'pending', lease_until = NULL, next_attempt_at = ?, last_code = ?, last_text = ? WHERE key = ?",
                    arguments: [Self.seconds(retryAt), code, text, key])
            case let .deferred(until, reason):
                try db.execute(
                    sql: "UPDATE notice SET status = 'pending', lease_until = NULL, next_attempt_at = ?, attempts = attempts - 1, last_text = ? WHERE key = ?",
                    arguments: [Self.seconds(until), reason, key])
            case let .failed(code, text, _):
                try db.execute(
                    sql: "UPDATE notice SET status = 'failed', lease_until = NULL, last_code = ?, last_text = ?, finished_at = ? WHERE key = ?",
                    arguments: [code, text, at, key])
            case let .cancelled(reason):
                try db.execute(
                    sql: "UPDATE notice SET status = 'cancelled', lease_until = NULL, last_text = ?, finished_at = ? WHERE key = ?",
                    arguments: [reason, at, key])
            }
            try db.execute(
                sql: "INSERT INTO audit (at, lead_id, entry) SELECT ?, lead_id, ? FROM notice WHERE key = ?",
                arguments: [at, "notice \(key): \(Self.auditText(outcome))", key])
        }
    }
}
