import Foundation
import NurtureTestSupport
import Testing

/// `nurture forecast`, `status` and `export` on a PostgreSQL store: the forecast reads the live
/// pipeline and keeps its summary there, `status` shows it, and `export` writes the history.
@Suite(.serialized, .timeLimit(.minutes(8)))
struct PostgresForecastExportTests {
    @Test("forecast, status --json and export take --db postgres://",
          .enabled(if: TestPostgres.inUse, "needs PostgreSQL (scripts/test starts one)"))
    func forecastStatusExport() throws {
        let folder = try TemporaryFolder.make("nurture-pg-forecast")
        defer { TemporaryFolder.remove(folder) }
        let definitions = try TestEnvironment.makeDefinitions(in: folder).path
        let db = try TestPostgres.freshDatabase()
        defer { TestPostgres.drop(db) }
        var csv = "id,email,first_name,time_zone,stage\n"
        for index in 0..<40 { csv += "F-\(index),lead\(index)@example.org,Lead\(index),UTC,lead\n" }
        let leads = folder.appendingPathComponent("leads.csv")
        try csv.write(to: leads, atomically: true, encoding: .utf8)
        let imported = try NurtureCLI.run(["leads", "import", leads.path, "--db", db])
        try #require(imported.status == 0, "\(imported.stderr)")
        let enrolled = try NurtureCLI.run(["enroll", "blast", "--where", "stage == lead", "--db", db, "--definitions", definitions])
        try #require(enrolled.status == 0, "\(enrolled.stderr)")

        let forecast = try NurtureCLI.run([
            "forecast", "--db", db, "--definitions", definitions, "--days", "5", "--runs", "3", "--threads", "1",
            "--from", "2026-03-02T09:00:00Z",
        ])
        #expect(forecast.status == 0, "\(forecast.stderr)")
        let status = try NurtureCLI.run(["status", "--db", db, "--json"])
        try #require(status.status == 0, "\(status.stderr)")
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let summary = try #require(fields["forecast"] as? [String: Any], "\(status.stdout)")
        #expect(summary["days"] as? Int == 5 && summary["runs"] as? Int == 3 && summary["leads"] as? Int == 40, "\(summary)")

        let events = folder.appendingPathComponent("events.csv").path, outcomes = folder.appendingPathComponent("outcomes.csv").path
        let exported = try NurtureCLI.run(["export", "--db", db, "--events", events, "--outcomes", outcomes])
        #expect(exported.status == 0, "\(exported.stderr)")
        let written = try String(contentsOfFile: events, encoding: .utf8)
        #expect(written.hasPrefix("at,"), "\(written.prefix(200))")
        #expect(FileManager.default.fileExists(atPath: outcomes))
    }
}
