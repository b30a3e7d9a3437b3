import Foundation
import NurtureTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGTERM sent to `nurture run` or `nurture serve` while it is still opening its store is a
/// request to stop, not a kill: the process finishes opening the store, starts no pass and serves
/// no one, and exits cleanly. The start is
/// held at a known point by holding the migration's advisory lock in another session, so the
/// signal lands while the store is migrating, every time.
@Suite(.serialized, .timeLimit(.minutes(8)))
struct PostgresStartStopTests {
    /// `PostgresStore.migrationLock`, as psql takes it.
    static let migrationLock = "7959393760959423793"

    @Test(
        "SIGTERM while the store is migrating: the migration finishes and the process exits cleanly",
        .enabled(if: TestPostgres.inUse, "needs PostgreSQL (scripts/test starts one)"),
        arguments: ["run", "serve"])
    func signalWhileOpeningTheStore(command: String) async throws {
        let binary = try NurtureCLI.path()
        let folder = try TemporaryFolder.make("nurture-pg-start-stop")
        defer { TemporaryFolder.remove(folder) }
        let definitions = try TestEnvironment.makeDefinitions(in: folder).path
        let db = try TestPostgres.freshDatabase()
        defer { TestPostgres.drop(db) }
        // This test's database only: the tests beside it migrate databases of their own, on the
        // same server and under the same lock number.
        let advisory = "FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"

        // The holder keeps the lock until the test ends it, however slowly the host runs: a hold
        // for a fixed time ran out on a loaded host before the test had looked. Dropping the
        // database ends the session if the test fails first.
        let holder = try ChildProcess(
            name: "psql holding the migration lock", executable: "/usr/bin/psql",
            arguments: [db, "--no-psqlrc", "-c", "SELECT pg_advisory_lock(\(Self.migrationLock)), pg_sleep(3600)"])
        defer { holder.stop() }
        try await OwnThread.run { try holder.wait { (try? TestPostgres.psql(db, "SELECT COUNT(*) \(advisory) AND granted")) == "1" } }

        let options = command == "run" ? ["--relay", "smtp://127.0.0.1:1"] : ["--listen", "127.0.0.1:\(try Ports.free())"]
        let run = try ChildProcess(
            name: "nurture \(command)", executable: binary, arguments: [command, "--db", db, "--definitions", definitions] + options)
        defer { run.stop() }
        try await OwnThread.run { try run.wait(timeout: .seconds(30)) { (try? TestPostgres.psql(db, "SELECT COUNT(*) \(advisory) AND NOT granted")) == "1" } }

        run.signal(SIGTERM)
        try await Task.sleep(for: .milliseconds(300))
        #expect(run.isRunning, "the signal did not end the process while its store was opening: \(run.termination)")
        try #require(try TestPostgres.psql(db, "SELECT COUNT(*) \(advisory) AND granted") == "1", "the lock was held all along, so the process cannot have migrated yet")

        try TestPostgres.psql(db, "SELECT pg_terminate_backend(pid) \(advisory) AND granted")
        let exited = try await OwnThread.run { run.wait(timeout: .seconds(20)) }
        try #require(exited, "SIGTERM stops it once the store is open: \(run.errors.suffix(1000))")
        #expect(run.termination.status == 0 && !run.termination.signalled, "a clean exit: \(run.termination) \(run.errors.suffix(500))")
        if command == "run" {
            #expect(run.errors.contains("scheduler stopped"))
            #expect(!run.errors.contains("pass:"), "no pass after the stop was asked for")
        }
        #expect(try TestPostgres.psql(db, "SELECT COUNT(*) > 0 FROM nurture_migration") == "t", "the migration was finished, not cut short")
    }
}
