import Foundation
import NurtureTestSupport
import Testing

/// `nurture enroll --where` into a sequence that names a pace: the requests are dated at their
/// paced starts, and `status` counts those still waiting.
@Suite
struct PacedEnrollCLITests {
    @Test func aSequencesOwnPaceDatesTheRequestsOfAListButNeverOfOneLead() throws {
        let folder = try TemporaryFolder.make("nurture-paced")
        defer { TemporaryFolder.remove(folder) }
        let db = folder.appendingPathComponent("nurture.sqlite").path
        let leads = folder.appendingPathComponent("leads.csv")
        var rows = "id,email,first_name,time_zone,stage\n"
        for number in 1...500 { rows += "R-\(number),r\(number)@example.org,Robin,America/New_York,recycled\n" }
        try rows.write(to: leads, atomically: true, encoding: .utf8)
        #expect(try NurtureCLI.run(["leads", "import", leads.path, "--db", db]).status == 0)

        // recycled-reengagement says pace: 200/day; 500 leads take three business days.
        let list = try NurtureCLI.run(["enroll", "recycled-reengagement", "--where", "stage == recycled", "--db", db])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("500 enrollment requests for recycled-reengagement; the scheduler applies them, each at its paced start"))
        let file = try StoreFile(db)
        let starts = try file.rows("SELECT at FROM inbox ORDER BY at").map { Date(timeIntervalSince1970: $0["at"]) }
        #expect(starts.count == 500 && Set(starts).count == 500, "each lead its own start")
        let span = try #require(starts.last).timeIntervalSince(try #require(starts.first))
        #expect(span > 86_400 && span < 7 * 86_400, "about three business days: \(span / 86_400) days")
        let status = try NurtureCLI.run(["status", "--db", db])
        #expect(status.stdout.contains("paced starts   "), "\(status.stdout)")

        // --pace overrides the sequence's; one lead is never paced.
        let one = try NurtureCLI.run(["enroll", "recycled-reengagement", "--lead", "r1@example.org", "--db", db])
        #expect(one.stdout.contains("the scheduler applies them on its next pass"), "\(one.stdout)")
        let bad = try NurtureCLI.run(["enroll", "recycled-reengagement", "--where", "stage == recycled", "--pace", "0/day", "--db", db])
        #expect(bad.status != 0 && bad.stderr.contains("--pace: pace '0/day' is not N/day"), "\(bad.stderr)")
    }
}
