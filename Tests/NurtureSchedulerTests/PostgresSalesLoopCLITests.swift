import Foundation
import NurtureTestSupport
import Testing

/// The sales-loop commands on a PostgreSQL URL, as the built binary: a rep's outcome is recorded
/// with its deal value, then read back by `leads show`, `handoffs list`, `request list`, `sla` and
/// `report loop`; a refusal is the same one line as on SQLite.
@Suite(.serialized, .timeLimit(.minutes(8)))
struct PostgresSalesLoopCLITests {
    @Test("leads show, handoffs, request, sla and report loop take --db postgres://",
          .enabled(if: TestPostgres.inUse, "needs PostgreSQL (scripts/test starts one)"))
    func salesLoopCommandsOnPostgres() throws {
        let folder = try TemporaryFolder.make("nurture-pg-loop")
        defer { TemporaryFolder.remove(folder) }
        let definitions = PackageFolders.sequences.path
        let db = try TestPostgres.freshDatabase()
        defer { TestPostgres.drop(db) }
        let leads = folder.appendingPathComponent("leads.csv")
        try """
            id,email,first_name,last_name,company,title,company_size,industry,time_zone,stage,owner_name,owner_email,demo_focus
            B-1,ben@beta.example,Ben,Berg,Beta,Sales Manager,300,logistics,UTC,sal,,,forecasting

            """.write(to: leads, atomically: true, encoding: .utf8)
        let imported = try NurtureCLI.run(["leads", "import", leads.path, "--db", db])
        try #require(imported.status == 0, "\(imported.stderr)")

        let outcome = try NurtureCLI.run([
            "handoffs", "outcome", "ben@beta.example", "qualify", "--db", db, "--definitions", definitions, "--at", "2026-03-02T15:00:00Z",
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let refused = try NurtureCLI.run(["handoffs", "accept", "999", "--db", db, "--definitions", definitions])
        #expect(refused.status == 64 && refused.stderr.contains("no hand-off 999"), "\(refused.stderr)")

        let shown = try NurtureCLI.run(["leads", "show", "ben@beta.example", "--db", db])
        #expect(shown.status == 0 && shown.stdout.contains("B-1"), "\(shown.stdout) \(shown.stderr)")
        for command in [
            ["handoffs", "list", "--db", db],
            ["request", "list", "--db", db],
            ["sla", "--db", db, "--definitions", definitions, "--since", "2026-03-01", "--until", "2026-03-09"],
            ["report", "loop", "--db", db, "--definitions", definitions, "--since", "2026-03-01", "--until", "2026-03-09"],
        ] {
            let run = try NurtureCLI.run(command)
            #expect(run.status == 0, "\(command): \(run.stderr)")
            #expect(!run.stderr.contains("needs the SQLite store"), "\(command)")
        }
    }
}
