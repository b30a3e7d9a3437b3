import ArgumentParser
import Foundation
import GRDB
import NurtureCore
import NurtureStore

/// Builds a store the size of a large customer's: a million leads enrolled in a sequence, each
/// with its engine state and a wake-up in the future, and the email each has already been sent,
/// so that `nurture tick` on it finds nothing due. The rows are written in bulk (one transaction,
/// indexes built afterwards), not through the scheduler.
struct BigStoreBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "big-store",
        abstract: "Create a SQLite store with many enrolled leads, none due, to time `nurture tick` on.",
        discussion: """
            Then time the idle tick from the shell, e.g.:
              hyperfine -N -w 3 -r 30 'nurture tick --db PATH --relay smtp://127.0.0.1:2525 --definitions sequences'
            """
    )

    @Option(help: "Leads to create.")
    var leads: Int = 1_000_000

    @Option(help: "The SQLite file to create.")
    var db: String

    @Flag(help: "Replace the file if it exists.")
    var overwrite = false

    @Option(help: "The sequence the leads are enrolled in (one of the definitions `tick` is given).")
    var sequence: String = "post-webinar"

    @Option(help: "Id of the sequence's first email step, already sent to every lead.")
    var firstStep: String = "recording"

    @Option(help: "Template of that step.")
    var firstTemplate: String = "post-webinar/recording"

    func run() async throws {
        let files = [db, db + "-wal", db + "-shm", db + "-journal"]
        if FileManager.default.fileExists(atPath: db) {
            guard overwrite else { throw ValidationError("\(db) exists; pass --overwrite to replace it") }
            for file in files { try? FileManager.default.removeItem(atPath: file) }
        }
        let clock = ContinuousClock()
        let now = Date()

        // The schema, exactly as the scheduler makes it.
        do { _ = try SQLiteStore(path: db) }

        let elapsed = try clock.measure { try fill(now: now) }

        // Read back through the store: the rows decode, and nothing is due.
        let store = try SQLiteStore(path: db)
        let sample = StoreBench.lead(leads / 2).id
        guard let (lead, state) = try store.lead(sample), let state, lead.id == sample,
              let wake = state.nextWake, wake > now
        else { throw BenchFailure("lead \(sample) does not read back with a future wake-up") }
        let status = try store.status(now: Date(), dayStart: .distantPast)
        let nextDue = try store.nextDue()
        let size = (try? FileManager.default.attributesOfItem(atPath: db)[.size] as? Int) ?? 0
        print("file            \(db), \(fixed(Double(size) / 1_048_576, 1)) MB")
        print("leads           \(grouped(status.leads)) enrolled in \(sequence), built in \(fixed(elapsed.seconds, 1)) s")
        print("sends           \(grouped(status.sentToday)) already sent, \(status.queued) queued, \(status.dueNow) due now")
        print("next due        \(nextDue.map { "\(ISO8601DateFormatter().string(from: $0)) (in \(fixed($0.timeIntervalSinceNow / 60, 1)) minutes)" } ?? "never")")
        print("then            hyperfine -N -w 3 -r 30 'nurture tick --db \(db) --relay smtp://127.0.0.1:2525 --definitions sequences'")
    }

    /// Writes every row in one transaction, in a rollback journal with no syncing (the file is
    /// new: a failure just means building it again), and the indexes after the rows.
    func fill(now: Date) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        let queue = try DatabaseQueue(path: db, configuration: configuration)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = DELETE")
            try db.execute(sql: "PRAGMA synchronous = OFF")
            try db.execute(sql: "PRAGMA cache_size = -262144")
        }
        try queue.write { db in
            let indexes = try Row.fetchAll(
                db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('lead', 'send')")
            for index in indexes { try db.execute(sql: "DROP INDEX \(index["name"] as String)") }

            // Engine states: a thousand shapes, wake-ups spread from an hour to a week ahead.
            let variants = 1_000
            var states: [(blob: Data, wake: Double, enrolledAt: Date)] = []
            for variant in 0..<variants {
                let enrolledAt = now.addingTimeInterval(-Double(86_400 + variant * 60))
                let wake = now.addingTimeInterval(3_600 + Double(variant) * (6 * 86_400 / Double(variants)))
                var state = LeadState(stage: "lead", score: Score(at: enrolledAt), fitPoints: Double(variant % 4) * 10,
                                      grade: ["C", "C", "B", "A"][variant % 4])
                var enrollment = Enrollment(sequence: sequence, enrolledAt: enrolledAt)
                enrollment.position = 2
                enrollment.wakeAt = wake
                enrollment.sentSteps = [0]
                state.enrollments = [enrollment]
                state.recentSends = [enrolledAt]
                states.append((CompactForm.encode(state), wake.timeIntervalSince1970, enrolledAt))
            }

            let insertLead = try db.makeStatement(
                sql: "INSERT INTO lead (id, email, profile, state, next_due_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")
            let insertSend = try db.makeStatement(sql: """
                INSERT INTO send (key, lead_id, sequence, step, template, enrolled_at, due_at, status, attempts,
                    first_attempt_at, next_attempt_at, message_id, last_code, last_text, finished_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'sent', 1, ?, ?, ?, 250, '2.0.0 Ok: queued', ?)
                """)
            let updatedAt = now.timeIntervalSince1970
            for number in 0..<leads {
                let lead = StoreBench.lead(number)
                let state = states[number % variants]
                try insertLead.execute(arguments: [
                    lead.id, lead.email, SQLiteStore.profileBlob(lead), state.blob, state.wake, updatedAt,
                ])
                let enrolled = state.enrolledAt.timeIntervalSince1970
                let key = QueuedSend.key(leadID: lead.id, sequence: sequence, enrolledAt: state.enrolledAt, step: firstStep)
                try insertSend.execute(arguments: [
                    key, lead.id, sequence, firstStep, firstTemplate, enrolled, enrolled, enrolled, enrolled,
                    "<\(String(UInt64(bitPattern: Int64(key.hashValue)), radix: 16))@example.com>", enrolled + 1,
                ])
            }
            for index in indexes { try db.execute(sql: index["sql"] as String) }
        }
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
        }
    }
}
