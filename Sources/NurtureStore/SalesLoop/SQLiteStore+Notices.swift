import Foundation
import GRDB
import NurtureCore

/// The outbox of rep notices in SQLite: claimed and recorded like sends, with leases.
extension SQLiteStore {
    public func rescueExpiredNotices(now: Date) throws -> Int { try rescueExpired(in: .notice, now: now) }

    public func claimDueNotices(now: Date, limit: Int, leaseUntil: Date) throws -> [RepNotice] {
        let rows = try claimDue(in: .notice, now: now, limit: limit, leaseUntil: leaseUntil)
        let decoder = JSONDecoder()
        var unreadable: [String] = []
        let notices = rows.compactMap { row -> RepNotice? in
            guard let kind = RepNotice.Kind(rawValue: row["kind"]), let channel = RepNotice.Channel(rawValue: row["channel"]),
                  let detail = try? decoder.decode(RepNotice.Detail.self, from: row["detail"] as Data)
            else {
                unreadable.append(row["key"])
                return nil
            }
            return RepNotice(
                key: row["key"], leadID: row["lead_id"], kind: kind, channel: channel, handOffID: row["hand_off_id"],
                repName: row["rep_name"], repEmail: row["rep_email"], detail: detail, attempts: row["attempts"],
                firstAttemptAt: (row["first_attempt_at"] as Double?).map(Self.date))
        }
        // A row this version cannot read fails where `status` shows it, instead of going round for ever.
        for key in unreadable {
            try record(.failed(code: 0, text: "the notice cannot be read by this version", suppress: false), forNotice: key, now: now)
        }
        return notices
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
