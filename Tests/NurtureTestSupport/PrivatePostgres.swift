import Foundation

/// A PostgreSQL server of one test's own, for a test that stops and restarts the server under
/// running processes: the shared test server cannot be restarted without disturbing the tests
/// running beside it. Built like `scripts/start-test-postgres` builds the shared one (initdb
/// --no-sync, fsync off, the `postgres` user, a free loopback port), with the programs and user it
/// exports (`NURTURE_TEST_POSTGRES_BIN`, `NURTURE_TEST_POSTGRES_USER`).
public final class PrivatePostgres: @unchecked Sendable {
    /// The server's database, as a `postgres://` URL.
    public let url: String
    let folder: URL
    let bin: String
    let user: String
    let port: Int
    private let lock = NSLock()
    private var stopped = false

    /// Whether a private server can be started here: `scripts/start-test-postgres` said where the
    /// programs are, or CI requires one (then starting it fails, saying what is missing).
    public static var available: Bool {
        let environment = ProcessInfo.processInfo.environment
        return (environment["NURTURE_TEST_POSTGRES_BIN"].map { !$0.isEmpty } ?? false) || environment["CI"] == "true"
    }

    public init() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let bin = environment["NURTURE_TEST_POSTGRES_BIN"], let user = environment["NURTURE_TEST_POSTGRES_USER"],
              !bin.isEmpty, !user.isEmpty
        else {
            throw SetupFailure("no PostgreSQL programs for a private test server: run the tests through scripts/test (NURTURE_TEST_POSTGRES_BIN)")
        }
        self.bin = bin
        self.user = user
        folder = try TemporaryFolder.make("nurture-private-postgres")
        port = try Ports.free()
        url = "postgres://nurture@127.0.0.1:\(port)/nurture_test"
        let owned = try ToolRun.run("/usr/bin/chown", [user, folder.path])
        guard owned.status == 0 else { throw SetupFailure("chown \(folder.path): \(owned.stderr)") }
        try run("initdb", ["--pgdata=\(folder.path)/data", "--username=nurture", "--auth=trust", "--no-sync", "--encoding=UTF8", "--locale=C.UTF-8"])
        try start()
        try run("createdb", ["--host=127.0.0.1", "--port=\(port)", "--username=nurture", "nurture_test"])
    }

    deinit { stop() }

    /// Stops the server (fast mode: every session is ended with SQLSTATE 57P01, as in a planned
    /// restart or a failover), keeps it down for `downFor`, and starts it again on the same port.
    /// It blocks: call it from `OwnThread`.
    public func restart(downFor: Duration) throws {
        try run("pg_ctl", ["--pgdata=\(folder.path)/data", "--mode=fast", "--wait", "stop"])
        Thread.sleep(forTimeInterval: downFor.timeInterval)
        try start()
    }

    /// Stops the server at once and removes its folder.
    public func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        _ = try? run("pg_ctl", ["--pgdata=\(folder.path)/data", "--mode=immediate", "--wait", "stop"])
        TemporaryFolder.remove(folder)
    }

    private func start() throws {
        try run("pg_ctl", [
            "--pgdata=\(folder.path)/data", "--log=\(folder.path)/server.log", "--wait", "--timeout=60",
            "-o", "-c listen_addresses=127.0.0.1 -c port=\(port) -c unix_socket_directories=\(folder.path) -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            "start",
        ])
    }

    /// Runs a PostgreSQL program as the server's user.
    private func run(_ program: String, _ arguments: [String]) throws {
        let run = try ToolRun.run("/usr/sbin/runuser", ["-u", user, "--", "\(bin)/\(program)"] + arguments)
        guard run.status == 0 else { throw SetupFailure("\(program) failed: \(run.stdout) \(run.stderr)") }
    }
}
