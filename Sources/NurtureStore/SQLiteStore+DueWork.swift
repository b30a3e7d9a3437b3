import Foundation
import GRDB

extension SQLiteStore {
    /// Whether a scheduler pass at `now` on the store at `path` would find anything to do: a lead
    /// due and not leased, a send due, or a send whose lease ran out.
    ///
    /// For `nurture tick`, which cron runs every minute, mostly with nothing to do. It is one read
    /// on a plain connection: no pool, no write to set up the WAL, no migration. Each part of the
    /// query is answered from its partial index (`lead_due`, `send_due`, `send_leased`) without
    /// touching the rows, so it costs the same with a million leads as with ten.
    ///
    /// Nil when it cannot be told that way (no file yet, a file this version has not migrated, or
    /// any error): open the store and run the pass to find out.
    public static func hasDueWork(path: String, now: Date) -> Bool? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            return try queue.read { db -> Bool? in
                guard try Migrations.migrator.hasCompletedMigrations(db) else { return nil }
                return try dueWork(db, now: now)
            }
        } catch {
            return nil
        }
    }

    static func dueWork(_ db: Database, now: Date) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: """
                SELECT EXISTS (SELECT 1 FROM lead WHERE next_due_at <= ?1 AND (lease_until IS NULL OR lease_until < ?1))
                    OR EXISTS (SELECT 1 FROM send WHERE status = 'pending' AND next_attempt_at <= ?1)
                    OR EXISTS (SELECT 1 FROM send WHERE status = 'sending' AND lease_until < ?1)
                """,
            arguments: [seconds(now)]) ?? false
    }

    /// The audit line's text for an outcome: the same text as `"\(outcome)"`, without going
    /// through reflection on every recorded send.
    static func auditText(_ outcome: SendOutcome) -> String {
        func quoted(_ text: String) -> String {
            // Plain ASCII with nothing to escape (nearly every relay reply) needs no character walk.
            let plain = text.utf8.allSatisfy { (0x20..<0x7F).contains($0) && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
            return plain ? "\"" + text + "\"" : String(reflecting: text)
        }
        func date(_ date: Date) -> String { String(reflecting: date) }
        switch outcome {
        case let .sent(messageID, code, text):
            return "sent(messageID: \(quoted(messageID)), code: \(code), text: \(quoted(text)))"
        case let .retry(at, code, text):
            return "retry(at: \(date(at)), code: \(code), text: \(quoted(text)))"
        case let .deferred(until, reason):
            return "deferred(until: \(date(until)), reason: \(quoted(reason)))"
        case let .failed(code, text, suppress):
            return "failed(code: \(code), text: \(quoted(text)), suppress: \(suppress))"
        case let .cancelled(reason):
            return "cancelled(reason: \(quoted(reason)))"
        }
    }
}
