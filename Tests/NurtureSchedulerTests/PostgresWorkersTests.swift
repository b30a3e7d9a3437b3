import Foundation
import NurtureTestSupport
import Testing

/// Three `nurture run` processes on one PostgreSQL store share its due sends: each send is
/// claimed by one of them (`FOR UPDATE SKIP LOCKED`), so every message arrives exactly once.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct PostgresWorkersTests {
    static let leadCount = 3_000
    static let workers = 3

    @Test(
        "three schedulers on one PostgreSQL store: every send arrives exactly once, every Message-ID unique",
        .enabled(if: TestServers.runCaptureTests && TestPostgres.inUse, "needs PostgreSQL (scripts/test starts one) and aiosmtpd"))
    func threeWorkersShareTheQueue() async throws {
        let binary = try NurtureCLI.path()
        let folder = try TemporaryFolder.make("nurture-pg-workers")
        defer { TemporaryFolder.remove(folder) }
        let definitions = try TestEnvironment.makeDefinitions(in: folder).path
        let db = try TestPostgres.freshDatabase()
        defer { TestPostgres.drop(db) }

        var csv = "id,email,first_name,time_zone,stage\n"
        let addresses = (0..<Self.leadCount).map { String(format: "lead%05d@example.org", $0) }
        for (index, address) in addresses.enumerated() {
            csv += "W-\(index),\(address),Lead\(index),UTC,lead\n"
        }
        let leadsFile = folder.appendingPathComponent("leads.csv")
        try csv.write(to: leadsFile, atomically: true, encoding: .utf8)
        let imported = try NurtureCLI.run(["leads", "import", leadsFile.path, "--db", db])
        try #require(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("3,000 leads read: 3,000 new"), "\(imported.stdout)")
        let enrolled = try NurtureCLI.run(["enroll", "blast", "--where", "stage == lead", "--db", db, "--definitions", definitions])
        try #require(enrolled.status == 0, "\(enrolled.stderr)")

        let server = try CaptureServer()
        defer { server.stop() }
        let arguments = [
            "run", "--db", db, "--relay", server.url, "--connections", "2", "--definitions", definitions,
            "--lead-batch", "100", "--send-batch", "25",
        ]
        let children = try (0..<Self.workers).map { _ in try ChildProcess(name: "nurture run", executable: binary, arguments: arguments) }
        defer { children.forEach { $0.stop() } }
        for child in children {
            try child.wait(timeout: .seconds(30)) { child.errors.contains("scheduler started") }
        }

        let deadline = ContinuousClock.now + .seconds(180)
        var status = try QueueFigures.read(db: db)
        while ContinuousClock.now < deadline {
            status = try QueueFigures.read(db: db)
            if status.queued == 0, server.count() >= Self.leadCount,
               try TestPostgres.psql(db, "SELECT COUNT(*) FROM send WHERE status = 'sent'") == "\(Self.leadCount)" {
                break
            }
            for child in children {
                try #require(child.isRunning, "nurture run exited early: \(child.termination) \(child.errors)")
            }
            try await Task.sleep(for: .milliseconds(300))
        }
        #expect(status.queued == 0, "the queue drained within three minutes")
        for child in children {
            // Each one sent some of them: the workload was shared, not taken by the first.
            #expect(child.errors.range(of: "sent [1-9]", options: .regularExpression) != nil, "a worker sent nothing: \(child.errors.suffix(500))")
            child.signal(SIGTERM)
            #expect(child.wait(timeout: .seconds(20)), "SIGTERM stops it")
            #expect(child.termination.status == 0 && !child.termination.signalled, "a clean exit: \(child.termination) \(child.errors)")
        }
        let messages = try server.messages()
        let ids = messages.compactMap(\.messageID)
        #expect(ids.count == messages.count, "every captured message has a Message-ID")
        #expect(messages.count == Self.leadCount, "each send exactly once: \(messages.count) messages for \(Self.leadCount) sends")
        #expect(Set(ids).count == ids.count, "Message-IDs unique")
        let recipients = messages.flatMap { $0.envelope.rcpt_tos.map { $0.lowercased() } }
        #expect(Set(recipients) == Set(addresses) && recipients.count == Self.leadCount)
        #expect(try TestPostgres.psql(db, "SELECT COUNT(DISTINCT message_id) FROM send WHERE status = 'sent'") == "\(Self.leadCount)")
        #expect(try TestPostgres.psql(db, "SELECT COUNT(*) FROM send_ready") == "0", "the hot table is empty once all is sent")
        #expect(try TestPostgres.psql(db, "SELECT COUNT(*) FROM lead WHERE lease_until IS NOT NULL") == "0")
        #expect(status.failed == 0 && status.leads == Self.leadCount)
    }
}
