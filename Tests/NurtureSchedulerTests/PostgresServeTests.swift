import Foundation
import NurtureTestSupport
import Testing

/// `nurture serve` on a PostgreSQL store: a token made by `nurture tokens create` on the same URL is
/// honoured by the API, events posted are kept once, and SIGTERM stops the service cleanly.
@Suite(.serialized, .timeLimit(.minutes(8)))
struct PostgresServeTests {
    @Test("serve --db postgres:// answers /healthz and takes a source's events with a token from tokens create",
          .enabled(if: TestPostgres.inUse, "needs PostgreSQL (scripts/test starts one)"))
    func serveOnPostgres() throws {
        let binary = try NurtureCLI.path()
        let folder = try TemporaryFolder.make("nurture-pg-serve")
        defer { TemporaryFolder.remove(folder) }
        let definitions = try TestEnvironment.makeDefinitions(in: folder).path
        let db = try TestPostgres.freshDatabase()
        defer { TestPostgres.drop(db) }
        let leads = folder.appendingPathComponent("leads.csv")
        try "id,email,first_name,time_zone,stage\nP-1,pat@example.org,Pat,UTC,lead\n".write(to: leads, atomically: true, encoding: .utf8)
        let imported = try NurtureCLI.run(["leads", "import", leads.path, "--db", db])
        try #require(imported.status == 0, "\(imported.stderr)")
        let added = try NurtureCLI.run(["tokens", "create", "--source", "crm", "--db", db, "--definitions", definitions])
        try #require(added.status == 0, "\(added.stderr)")
        let token = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let port = try Ports.free()
        let serve = try ChildProcess(
            name: "nurture serve", executable: binary,
            arguments: ["serve", "--listen", "127.0.0.1:\(port)", "--db", db, "--definitions", definitions])
        defer { serve.stop() }
        try serve.wait(timeout: .seconds(60)) {
            (try? ToolRun.run("/usr/bin/curl", ["-s", "--max-time", "2", "http://127.0.0.1:\(port)/healthz"]).stdout) == "ok\n"
        }
        func post(_ bearer: String) throws -> String {
            try ToolRun.run("/usr/bin/curl", [
                "-s", "--max-time", "10", "-H", "Authorization: Bearer \(bearer)", "-H", "Content-Type: application/json",
                "--data", #"{"at": "2026-03-02T09:00:00Z", "type": "email_open", "lead": "pat@example.org", "id": "evt-1"}"#,
                "http://127.0.0.1:\(port)/api/events",
            ]).stdout
        }
        #expect(try post(token).contains(#""accepted":1"#), "\(serve.errors)")
        #expect(try post(token).contains(#""duplicates":1"#), "kept once")
        #expect(try !post("not-a-token").contains("accepted"), "an unknown token is refused")
        let listed = try NurtureCLI.run(["tokens", "list", "--db", db])
        #expect(listed.status == 0 && listed.stdout.contains("crm"), "\(listed.stdout) \(listed.stderr)")

        serve.signal(SIGTERM)
        #expect(serve.wait(timeout: .seconds(20)), "SIGTERM stops the service")
        #expect(serve.termination.status == 0 && !serve.termination.signalled, "\(serve.termination) \(serve.errors)")
    }
}
