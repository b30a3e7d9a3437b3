import Foundation
import NurtureTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// PostgreSQL restarted twice under two running `nurture run` processes, once at once and once
/// staying down for seconds: the workers reconnect and carry on without exiting, nothing is lost,
/// and nothing goes out twice beyond what was in flight when the server went away.
@Suite(.serialized, .timeLimit(.minutes(8)))
struct PostgresRestartTests {
    static let leadCount = 6_000
    static let workers = 2
    static let connections = 2

    @Test(
        "PostgreSQL restarted under two workers: they reconnect and carry on, nothing lost, nothing sent twice beyond in-flight",
        .enabled(if: TestServers.runCaptureTests && PrivatePostgres.available, "needs PostgreSQL's programs (scripts/test exports them) and aiosmtpd"))
    func serverRestartedUnderWorkers() async throws {
        let binary = try NurtureCLI.path()
        let folder = try TemporaryFolder.make("nurture-pg-restart")
        defer { TemporaryFolder.remove(folder) }
        // A server of the test's own: restarting the shared one would break the tests beside it.
        let postgres = try PrivatePostgres()
        defer { postgres.stop() }
        let db = postgres.url
        let workload = try BlastWorkload(count: Self.leadCount, db: db, folder: folder)

        let server = try CaptureServer()
        defer { server.stop() }
        let arguments = [
            "run", "--db", db, "--relay", server.url, "--connections", String(Self.connections), "--definitions", workload.definitions,
            "--lead-batch", "100", "--send-batch", "20",
        ]
        let workers = try (0..<Self.workers).map { _ in try ChildProcess(name: "nurture run", executable: binary, arguments: arguments) }
        defer { workers.forEach { $0.stop() } }
        for worker in workers {
            try worker.waitForScheduler()
        }

        // Restarted at once when a sixth has arrived; stopped for three seconds at half. The
        // watch runs on a thread of its own so that a busy host's shared threads cannot hold it
        // back until the workers have finished.
        typealias Restart = (downFor: Duration, arrivedBefore: Int, arrivedAfter: Int, resumedIn: Duration)
        let leadCount = Self.leadCount
        let restarts: [Restart] = try await OwnThread.run {
            var restarts: [Restart] = []
            for (share, downFor) in [(6, Duration.zero), (2, .seconds(3))] {
                let mark = leadCount / share
                let deadline = ContinuousClock.now + .seconds(60)
                while server.count() < mark, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.02) }
                guard server.count() >= mark else {
                    throw SetupFailure("the workers did not reach \(mark) messages: \(workers.map { $0.errors.suffix(1500) })")
                }
                let before = server.count()
                try postgres.restart(downFor: downFor)
                // Recovery: from the server accepting connections again to the next 20 messages
                // out (or the last, when fewer than 20 were left).
                let back = ContinuousClock.now, arrivedAfter = server.count(), target = min(arrivedAfter + 20, leadCount)
                while server.count() < target, ContinuousClock.now < back + .seconds(60) { Thread.sleep(forTimeInterval: 0.02) }
                restarts.append((downFor, before, arrivedAfter, ContinuousClock.now - back))
                for worker in workers where !worker.isRunning {
                    throw SetupFailure("a worker exited when PostgreSQL went away: \(worker.termination) \(worker.errors.suffix(2000))")
                }
            }
            return restarts
        }

        let status = try await PostgresQueueWatch.waitUntilSent(
            Self.leadCount, db: db, server: server, workers: { workers }, within: .seconds(120))
        #expect(status.queued == 0, "the queue drained within two minutes of the restarts")
        for worker in workers {
            #expect(worker.errors.range(of: "sent [1-9]", options: .regularExpression) != nil, "a worker sent nothing: \(worker.errors.suffix(500))")
        }
        Self.stopCleanly(workers)

        let tally = DeliveryTally(try server.messages())
        // In flight when the server went away: at most one message per connection of each worker.
        let bound = restarts.count * Self.workers * Self.connections
        print("""
            PostgreSQL restart test: \(restarts.map { "down \($0.downFor) at \($0.arrivedBefore) messages (\($0.arrivedAfter) when back, 20 more \($0.resumedIn) later)" }.joined(separator: ", ")); \
            \(tally.messages.count) messages, \(tally.distinct.count) distinct Message-IDs, \(tally.duplicates) duplicates (bound \(bound))
            """)
        #expect(tally.missingIDs == 0, "every captured message has a Message-ID")
        #expect(tally.distinct.count == Self.leadCount, "every send arrived")
        #expect(tally.missing(from: workload.addresses).isEmpty, "\(tally.missing(from: workload.addresses).count) addresses got nothing")
        #expect(tally.duplicates <= bound, "only sends in flight can be repeated")
        #expect(tally.idsWithSeveralRecipients == 0, "a duplicate is the same message to the same recipient")
        #expect(try TestPostgres.psql(db, "SELECT COUNT(*) FROM send WHERE status = 'sent'") == "\(Self.leadCount)")
        #expect(try TestPostgres.psql(db, "SELECT COUNT(DISTINCT message_id) FROM send WHERE status = 'sent'") == "\(Self.leadCount)")
        #expect(try TestPostgres.psql(db, "SELECT COUNT(*) FROM send_ready") == "0")
        #expect(try TestPostgres.psql(db, "SELECT COUNT(*) FROM lead WHERE lease_until IS NOT NULL") == "0")
        #expect(status.failed == 0 && status.leads == Self.leadCount)
    }

    /// Six fast restarts two seconds apart while the workers have nothing to do: each restart ends
    /// the pool's connections while the workers poll, which used to leave a worker waiting for a
    /// connection for ever. Work enrolled afterwards must still go out, promptly.
    @Test(
        "PostgreSQL restarted six times in two seconds under idle workers: work enrolled afterwards is sent, once",
        .enabled(if: TestServers.runCaptureTests && PrivatePostgres.available, "needs PostgreSQL's programs (scripts/test exports them) and aiosmtpd"))
    func fastRestartsUnderIdleWorkers() async throws {
        let binary = try NurtureCLI.path()
        let folder = try TemporaryFolder.make("nurture-pg-restarts")
        defer { TemporaryFolder.remove(folder) }
        let postgres = try PrivatePostgres()
        defer { postgres.stop() }
        let db = postgres.url
        let definitions = try TestEnvironment.makeDefinitions(in: folder).path

        let server = try CaptureServer()
        defer { server.stop() }
        let arguments = ["run", "--db", db, "--relay", server.url, "--connections", String(Self.connections), "--definitions", definitions]
        let workers = try (0..<Self.workers).map { _ in try ChildProcess(name: "nurture run", executable: binary, arguments: arguments) }
        defer { workers.forEach { $0.stop() } }
        for worker in workers {
            try worker.waitForScheduler()
        }

        try await OwnThread.run {
            for _ in 0..<6 {
                try postgres.restart(downFor: .zero)
                Thread.sleep(forTimeInterval: 2)
            }
        }
        for worker in workers {
            try #require(worker.isRunning, "a worker exited when PostgreSQL restarted: \(worker.termination) \(worker.errors.suffix(2000))")
        }

        let count = 300
        let workload = try BlastWorkload(count: count, db: db, folder: folder)
        let enrolled = ContinuousClock.now
        let status = try await PostgresQueueWatch.waitUntilSent(count, db: db, server: server, workers: { workers }, within: .seconds(60))
        let took = ContinuousClock.now - enrolled
        #expect(status.queued == 0, "the queue drained within a minute of the restarts: \(status) \(workers.map { $0.errors.suffix(1500) })")
        let stopped = Self.stopCleanly(workers)

        let tally = DeliveryTally(try server.messages())
        print("PostgreSQL fast restarts: 6 restarts 2 s apart under idle workers; \(count) sends enrolled afterwards all sent \(took) after enrolment; SIGTERM stopped both within \(stopped)")
        #expect(tally.distinct.count == count, "every send arrived")
        #expect(tally.missing(from: workload.addresses).isEmpty)
        #expect(tally.duplicates == 0, "nothing was in flight at the restarts, so nothing goes out twice")
        #expect(try TestPostgres.psql(db, "SELECT COUNT(*) FROM send WHERE status = 'sent'") == "\(count)")
    }

    /// SIGTERM stops each worker cleanly and promptly: no store call is left waiting. Returns the
    /// longest a worker took to exit.
    @discardableResult
    static func stopCleanly(_ workers: [ChildProcess]) -> Duration {
        var longest = Duration.zero
        for worker in workers {
            let signalled = ContinuousClock.now
            defer { longest = max(longest, ContinuousClock.now - signalled) }
            worker.signal(SIGTERM)
            guard worker.wait(timeout: .seconds(20)) else {
                Issue.record("SIGTERM did not stop it: \(worker.errors.suffix(1000))")
                continue
            }
            #expect(worker.termination.status == 0 && !worker.termination.signalled, "a clean exit: \(worker.termination) \(worker.errors.suffix(500))")
        }
        return longest
    }
}
