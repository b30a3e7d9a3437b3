import Foundation
import NurtureTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Two `nurture run` processes on one PostgreSQL store, each killed with SIGKILL at random moments
/// over and over and started again while the other works on: nothing is lost (the survivor's
/// reaper and the restarted process take over the dead one's leases), and the only duplicates are
/// messages in flight at a kill, at most one per connection per kill.
@Suite(.serialized, .timeLimit(.minutes(8)))
struct PostgresCrashTests {
    static let leadCount = 3_000
    /// Messages a second across both workers (`--rate`): the sending lasts two minutes, longer than
    /// the twenty kills take even on a loaded host, so that they land while messages go out. Unpaced,
    /// a fast host sent all 5,000 between the first kill and the second.
    static let rate = 25
    static let workers = 2
    static let killsPerWorker = 10
    static let connections = 4

    @Test(
        "two workers on PostgreSQL, each kill -9'd ten times and restarted: every send arrives, duplicates only from sends in flight",
        .enabled(if: TestServers.runCaptureTests && TestPostgres.inUse, "needs PostgreSQL (scripts/test starts one) and aiosmtpd"))
    func workersKilledAtRandomNothingIsLost() async throws {
        let binary = try NurtureCLI.path()
        let folder = try TemporaryFolder.make("nurture-pg-crash")
        defer { TemporaryFolder.remove(folder) }
        let db = try TestPostgres.freshDatabase()
        defer { TestPostgres.drop(db) }
        let workload = try BlastWorkload(count: Self.leadCount, db: db, folder: folder)

        let server = try CaptureServer()
        defer { server.stop() }
        // Short leases, so that what a killed process held is taken over within two seconds; small
        // batches, so that a life of 50-400 ms gets as far as sending and kills land mid-transfer.
        let arguments = [
            "run", "--db", db, "--relay", server.url, "--connections", String(Self.connections), "--definitions", workload.definitions,
            "--send-lease", "2", "--lead-lease", "2", "--lead-batch", "100", "--send-batch", "20", "--rate", String(Self.rate),
        ]
        let start = { try ChildProcess(name: "nurture run", executable: binary, arguments: arguments) }

        // The workers take turns to die: while one is killed and restarted, the other works on.
        var workers = try (0..<Self.workers).map { _ in try start() }
        defer { workers.forEach { $0.stop() } }
        var kills: [RandomKill] = []
        for round in 0..<(Self.workers * Self.killsPerWorker) {
            let victim = round % Self.workers
            let kill = try await RandomKill.kill(workers[victim], after: Int.random(in: 0...200), server: server, onceDelivering: true)
            #expect(kill.wasRunning && kill.signalled, "worker \(victim) was killed, not exited")
            kills.append(kill)
            workers[victim] = try start()
        }
        let killedWhileDelivering = kills.filter(\.landedWhileDelivering).count
        #expect(killedWhileDelivering * 2 >= kills.count, "most kills land while messages go out: \(kills.map(\.arrivedAtKill))")

        // Now let both finish.
        let status = try await PostgresQueueWatch.waitUntilSent(
            Self.leadCount, db: db, server: server, workers: { workers }, within: .seconds(360))
        #expect(status.queued == 0, "the queue drained within six minutes")
        var rescued = kills.reduce(0) { $0 + $1.rescued }
        // The queue may have drained before the last restarted worker got going: SIGTERM is sent
        // to schedulers that have started, not to processes still starting.
        let running = workers
        try await OwnThread.run { for worker in running { try worker.waitForScheduler() } }
        var stopTimes: [Duration] = []
        for worker in workers {
            let asked = ContinuousClock.now
            worker.signal(SIGTERM)
            defer { stopTimes.append(ContinuousClock.now - asked) }
            guard worker.wait(timeout: .seconds(20)) else {
                Issue.record("SIGTERM did not stop it: \(worker.errors.suffix(1000))")
                continue
            }
            #expect(worker.termination.status == 0 && !worker.termination.signalled, "a clean exit: \(worker.termination) \(worker.errors.suffix(500))")
            rescued += RandomKill.rescued(in: worker.errors)
        }

        let tally = DeliveryTally(try server.messages())
        let bound = kills.count * Self.connections
        print("""
            PostgreSQL crash test: \(kills.count) kills (\(Self.killsPerWorker) per worker), \(killedWhileDelivering) while delivering; \
            messages captured at each kill: \(kills.map(\.arrivedAtKill)); \(tally.messages.count) messages, \
            \(tally.distinct.count) distinct Message-IDs, \(tally.duplicates) duplicates (bound \(bound)); \
            \(rescued) sends rescued from expired leases; stopped \(stopTimes) after SIGTERM
            """)
        #expect(tally.missingIDs == 0, "every captured message has a Message-ID")
        #expect(tally.distinct.count == Self.leadCount, "every send arrived at least once")
        #expect(tally.missing(from: workload.addresses).isEmpty, "\(tally.missing(from: workload.addresses).count) addresses got nothing")
        #expect(Set(tally.recipients).count == Self.leadCount)
        #expect(tally.duplicates <= bound, "only sends in flight can be repeated")
        #expect(tally.idsWithSeveralRecipients == 0, "a duplicate is the same message to the same recipient")

        // The store agrees.
        #expect(try TestPostgres.psql(db, "SELECT COUNT(*) FROM send WHERE status = 'sent'") == "\(Self.leadCount)")
        #expect(try TestPostgres.psql(db, "SELECT COUNT(DISTINCT message_id) FROM send WHERE status = 'sent'") == "\(Self.leadCount)")
        #expect(try TestPostgres.psql(db, "SELECT COUNT(*) FROM send_ready") == "0")
        #expect(try TestPostgres.psql(db, "SELECT COUNT(*) FROM inbox WHERE processed = 0") == "0")
        #expect(try TestPostgres.psql(db, "SELECT COUNT(*) FROM lead WHERE lease_until IS NOT NULL") == "0")
        #expect(status.failed == 0 && status.leads == Self.leadCount)
    }
}
