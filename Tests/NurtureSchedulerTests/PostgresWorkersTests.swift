import Foundation
import NurtureTestSupport
import Testing

/// Three `nurture run` processes on one PostgreSQL store share its 20,000 due sends: each send is
/// claimed by one of them (`FOR UPDATE SKIP LOCKED`), so every message arrives exactly once.
@Suite(.serialized, .timeLimit(.minutes(12)))
struct PostgresWorkersTests {
    static let leadCount = 20_000
    static let workers = 3

    @Test(
        "three schedulers on one PostgreSQL store: every send arrives exactly once, every Message-ID unique",
        .enabled(if: TestServers.runCaptureTests && TestPostgres.inUse, "needs PostgreSQL (scripts/test starts one) and aiosmtpd"))
    func threeWorkersShareTheQueue() async throws {
        let binary = try NurtureCLI.path()
        let folder = try TemporaryFolder.make("nurture-pg-workers")
        defer { TemporaryFolder.remove(folder) }
        let db = try TestPostgres.freshDatabase()
        defer { TestPostgres.drop(db) }
        let started = ContinuousClock.now
        let workload = try BlastWorkload(count: Self.leadCount, db: db, folder: folder)
        let prepared = ContinuousClock.now

        let server = try CaptureServer()
        defer { server.stop() }
        let arguments = [
            "run", "--db", db, "--relay", server.url, "--connections", "2", "--definitions", workload.definitions,
            "--lead-batch", "100", "--send-batch", "25",
        ]
        let children = try (0..<Self.workers).map { _ in try ChildProcess(name: "nurture run", executable: binary, arguments: arguments) }
        defer { children.forEach { $0.stop() } }
        for child in children {
            try child.waitForScheduler()
        }
        let status = try await PostgresQueueWatch.waitUntilSent(
            Self.leadCount, db: db, server: server, workers: { children }, within: .seconds(480))
        let drained = ContinuousClock.now
        #expect(status.queued == 0, "the queue drained within eight minutes")
        for child in children {
            // Each one sent some of them: the workload was shared, not taken by the first.
            #expect(child.errors.range(of: "sent [1-9]", options: .regularExpression) != nil, "a worker sent nothing: \(child.errors.suffix(500))")
            child.signal(SIGTERM)
            guard child.wait(timeout: .seconds(20)) else {
                Issue.record("SIGTERM did not stop it: \(child.errors.suffix(1000))")
                continue
            }
            #expect(child.termination.status == 0 && !child.termination.signalled, "a clean exit: \(child.termination) \(child.errors.suffix(500))")
        }
        let tally = DeliveryTally(try server.messages())
        print("PostgreSQL workers: \(Self.leadCount) sends imported and enrolled in \(prepared - started), sent by \(Self.workers) workers in \(drained - prepared)")
        #expect(tally.missingIDs == 0, "every captured message has a Message-ID")
        #expect(tally.messages.count == Self.leadCount, "each send exactly once: \(tally.messages.count) messages for \(Self.leadCount) sends")
        #expect(tally.duplicates == 0, "Message-IDs unique")
        #expect(Set(tally.recipients) == Set(workload.addresses) && tally.recipients.count == Self.leadCount)
        #expect(try TestPostgres.psql(db, "SELECT COUNT(DISTINCT message_id) FROM send WHERE status = 'sent'") == "\(Self.leadCount)")
        #expect(try TestPostgres.psql(db, "SELECT COUNT(*) FROM send_ready") == "0", "the hot table is empty once all is sent")
        #expect(try TestPostgres.psql(db, "SELECT COUNT(*) FROM lead WHERE lease_until IS NOT NULL") == "0")
        #expect(status.failed == 0 && status.leads == Self.leadCount)
    }
}
