import Foundation

/// The PostgreSQL server the tests use: the throw-away cluster `scripts/start-test-postgres` starts,
/// named by `NURTURE_TEST_POSTGRES`. Without it the PostgreSQL cases are left out of a local run;
/// under `CI=true` they are kept and fail, saying what is missing.
public enum TestPostgres {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The server's URL (its test database), if one was started.
    public static var url: String? { environment["NURTURE_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 } }

    /// Whether the PostgreSQL cases run: a server is there, or CI requires one.
    public static var inUse: Bool { url != nil || environment["CI"] == "true" }

    /// A new, empty database on the server, for one test; returns its URL. `drop` removes it.
    public static func freshDatabase() throws -> String {
        guard let url else {
            throw SetupFailure("no PostgreSQL for the tests: run them through scripts/test, which starts one (NURTURE_TEST_POSTGRES)")
        }
        let name = "nurture_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        try psql(url, "CREATE DATABASE \(name)")
        return replacingDatabase(of: url, with: String(name))
    }

    /// Removes a database `freshDatabase` made, with any connection still open to it.
    public static func drop(_ databaseURL: String) {
        guard let url, let name = databaseURL.split(separator: "/").last else { return }
        try? psql(url, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// Runs one SQL command with psql and returns its unaligned output.
    @discardableResult
    public static func psql(_ url: String, _ sql: String) throws -> String {
        let run = try ToolRun.run("/usr/bin/psql", [url, "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "-tA", "-c", sql])
        guard run.status == 0 else { throw SetupFailure("psql failed on \(sql): \(run.stderr)") }
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func replacingDatabase(of url: String, with name: String) -> String {
        var parts = url.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts[parts.count - 1] = name
        return parts.joined(separator: "/")
    }
}
