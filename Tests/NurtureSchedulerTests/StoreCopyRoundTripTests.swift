import Foundation
import NurtureStore
import NurtureTestSupport
import Testing

/// `nurture store copy` from SQLite to PostgreSQL, as a team moving stores mid-campaign would use
/// it: half the leads already emailed, the rest enrolled but not yet run, an unsubscribe waiting in
/// the inbox. The PostgreSQL store then carries on where the file stopped.
@Suite(.serialized, .timeLimit(.minutes(8)))
struct StoreCopyRoundTripTests {
    @Test(
        "copy mid-campaign: the PostgreSQL store sends the rest, nothing twice, honours the waiting unsubscribe; a second copy is refused",
        .enabled(if: TestServers.runCaptureTests && TestPostgres.inUse, "needs PostgreSQL (scripts/test starts one) and aiosmtpd"))
    func copyThenContinue() throws {
        let folder = try TemporaryFolder.make("nurture-store-copy")
        defer { TemporaryFolder.remove(folder) }
        let definitions = try TestEnvironment.makeDefinitions(in: folder).path
        let file = folder.appendingPathComponent("nurture.sqlite").path
        let server = try CaptureServer()
        defer { server.stop() }
        func run(_ arguments: [String]) throws -> ToolRun {
            let result = try NurtureCLI.run(arguments)
            try #require(result.status == 0, "nurture \(arguments.joined(separator: " ")): \(result.stderr)")
            return result
        }
        func importLeads(_ prefix: String) throws {
            let csv = folder.appendingPathComponent("\(prefix).csv")
            try ("id,email,first_name,time_zone,stage\n" + (0..<20).map { "\(prefix)-\($0),\(prefix.lowercased())\($0)@example.org,Lead,UTC,lead\n" }.joined())
                .write(to: csv, atomically: true, encoding: .utf8)
            _ = try run(["leads", "import", csv.path, "--db", file])
        }
        func unsubscribe(_ email: String, id: String) throws {
            let events = folder.appendingPathComponent("\(id).csv")
            try "at,type,category,step,lead,id\n\(TestEnvironment.iso(Date())),unsubscribe,,,\(email),\(id)\n".write(to: events, atomically: true, encoding: .utf8)
            _ = try run(["events", "ingest", events.path, "--db", file])
        }
        let tickFile = ["tick", "--db", file, "--relay", server.url, "--definitions", definitions]

        // On SQLite: 20 leads emailed, one of them unsubscribed since; 20 more imported, one of them
        // unsubscribed, and everyone enrolled again (the first 20 may not re-enter), not yet run.
        try importLeads("A")
        _ = try run(["enroll", "blast", "--where", "stage == lead", "--db", file, "--definitions", definitions])
        #expect(try run(tickFile).stdout.hasPrefix("leads 20, queued 20, sent 20"))
        try unsubscribe("a0@example.org", id: "unsub-a0")
        _ = try run(tickFile)
        try importLeads("B")
        // The unsubscribe is ingested before the enrolment so that it comes first in the inbox's
        // order (time, then id) whatever the clock reads: the event's time is whole seconds.
        try unsubscribe("b0@example.org", id: "unsub-b0")
        _ = try run(["enroll", "blast", "--where", "stage == lead", "--db", file, "--definitions", definitions])
        #expect(server.count() == 20)

        let db = try TestPostgres.freshDatabase()
        defer { TestPostgres.drop(db) }
        let copied = try run(["store", "copy", "--from", file, "--to", db])
        #expect(copied.stdout.contains("copied \(StoreTables.copyOrder.count) tables and "), "\(copied.stdout)")
        #expect(copied.stdout.contains("count and checksum verified"))
        #expect(copied.stderr.contains("copied lead"), "\(copied.stderr)")
        #expect(try TestPostgres.psql(db, "SELECT COUNT(*) FROM lead") == "40")
        #expect(try TestPostgres.psql(db, "SELECT COUNT(*) FROM send WHERE status = 'sent'") == "20")
        #expect(try TestPostgres.psql(db, "SELECT COUNT(*) FROM suppression") == "1")
        #expect(try TestPostgres.psql(db, "SELECT COUNT(*) FROM inbox WHERE processed = 0") == "41", "40 enrolments (20 of them for leads already through it) and the unsubscribe wait")
        let auditBefore = try Int(TestPostgres.psql(db, "SELECT COUNT(*) FROM audit")) ?? -1

        // On PostgreSQL: the rest go out, except to the lead who unsubscribed; nothing twice.
        let tickPostgres = ["tick", "--db", db, "--relay", server.url, "--definitions", definitions]
        let first = try run(tickPostgres)
        #expect(first.stdout.hasPrefix("leads 40, queued 19, sent 19"), "\(first.stdout)")
        #expect(try run(tickPostgres).stdout.hasPrefix("leads 0, queued 0, sent 0"))
        let recipients = try server.messages().compactMap(\.recipient)
        #expect(recipients.count == 39 && Set(recipients).count == 39, "each lead once: \(recipients.count) messages")
        #expect(!recipients.contains("b0@example.org"))
        #expect(try TestPostgres.psql(db, "SELECT COUNT(*) FROM suppression") == "2")
        #expect(try Int(TestPostgres.psql(db, "SELECT COUNT(*) FROM audit")) ?? 0 > auditBefore, "new audit rows take ids after the copied ones")
        #expect(try TestPostgres.psql(db, "SELECT COUNT(*) FROM send_ready") == "0")

        // The target now holds data: a second copy is refused and changes nothing.
        let again = try NurtureCLI.run(["store", "copy", "--from", file, "--to", db])
        #expect(again.status != 0 && again.stderr.contains("already holds data"), "\(again.stderr)")
        #expect(try TestPostgres.psql(db, "SELECT COUNT(*) FROM lead") == "40")
    }
}
