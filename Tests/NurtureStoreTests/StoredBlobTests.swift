import Foundation
import NurtureCore
import NurtureStore
import NurtureTestSupport
import Testing

/// Engine states and profiles are stored in the compact form; files written by earlier versions,
/// with JSON in those columns, are read as they are and move to the compact form row by row.
struct StoredBlobTests {
    static let t = utc(2026, 3, 2, 9)
    static let owner = Rep(name: "Dana Reyes", email: "dana@vendor.example", title: "AE", phone: nil)
    static let lead = Lead(id: "J-1", email: "j1@example.org", timeZone: TimeZone(identifier: "Europe/Berlin"), owner: owner,
                           stage: "lead", attributes: ["title": "VP Finance", "company_size": "800"])

    @Test("a lead and engine state stored as JSON by an earlier version are read, then rewritten compact")
    func jsonRowsAreReadAndMoveToTheCompactForm() throws {
        let folder = try TemporaryFolder.make("nurture-blob")
        defer { TemporaryFolder.remove(folder) }
        let path = folder.appendingPathComponent("nurture.sqlite").path
        let store = try SQLiteStore(path: path)
        _ = try store.upsert([Self.lead])
        let file = try StoreFile(path)
        #expect(try file.rows("SELECT profile FROM lead").map { ($0["profile"] as Data).first } == [0xC7])

        var state = LeadState(stage: "lead", score: Score(at: Self.t), fitPoints: 35, grade: "A")
        var enrollment = Enrollment(sequence: "post-webinar", enrolledAt: Self.t)
        enrollment.position = 2
        enrollment.sentSteps = [0]
        state.enrollments = [enrollment]
        state.recentSends = [Self.t]
        let profileJSON = #"{"id":"J-1","email":"j1@example.org","timeZone":"Europe/Berlin","stage":"lead","#
            + #""owner":{"name":"Dana Reyes","email":"dana@vendor.example","title":"AE"},"#
            + #""attributes":{"title":"VP Finance","company_size":"800"}}"#
        try file.execute("UPDATE lead SET profile = ?, state = ?, next_due_at = ? WHERE id = 'J-1'",
                         [Data(profileJSON.utf8), try JSONEncoder().encode(state), Self.t.timeIntervalSince1970])

        let (lead, read) = try #require(try store.lead("J-1"))
        #expect(lead.email == Self.lead.email && lead.owner == Self.owner && lead.attributes == Self.lead.attributes)
        #expect(lead.timeZone?.identifier == "Europe/Berlin" && lead.stage == "lead")
        #expect(read == state)

        // The scheduler's own path: claimed, then committed with the state unchanged.
        let claimed = try #require(try store.claimDueLeads(now: Self.t, limit: 10, leaseUntil: Self.t.addingTimeInterval(60)).first)
        #expect(claimed.state == state)
        try store.commit([LeadUpdate(leadID: "J-1", state: state, processed: [], sends: [], handOffs: [], suppression: nil, audit: [])], now: Self.t)
        #expect(try file.rows("SELECT state FROM lead").map { ($0["state"] as Data).first } == [0xC7])
        #expect(try store.lead("J-1")?.1 == state)
    }

    @Test("a damaged stored state is reported, not read as some other state")
    func damagedStateIsAnError() throws {
        let folder = try TemporaryFolder.make("nurture-blob")
        defer { TemporaryFolder.remove(folder) }
        let path = folder.appendingPathComponent("nurture.sqlite").path
        let store = try SQLiteStore(path: path)
        _ = try store.upsert([Self.lead])
        try StoreFile(path).execute("UPDATE lead SET state = ? WHERE id = 'J-1'", [Data([0xC7, 1, 3, 0x6C])])
        #expect(throws: CompactFormError.self) { try store.lead("J-1") }
    }

    @Test("`nurture leads show` prints a stored lead and its engine state as JSON, found by id or address")
    func leadsShowPrintsTheState() throws {
        let folder = try TemporaryFolder.make("nurture-blob")
        defer { TemporaryFolder.remove(folder) }
        let db = folder.appendingPathComponent("nurture.sqlite").path
        let store = try SQLiteStore(path: db)
        _ = try store.upsert([Self.lead])
        var state = LeadState(stage: "mql", score: Score(at: Self.t), fitPoints: 35, grade: "A")
        var enrollment = Enrollment(sequence: "post-webinar", enrolledAt: Self.t)
        enrollment.sentSteps = [2, 0]
        enrollment.status = .exited(.event(.reply))
        state.enrollments = [enrollment]
        try store.commit([LeadUpdate(leadID: "J-1", state: state, processed: [], sends: [], handOffs: [], suppression: nil,
                                     audit: [])], now: Self.t)

        let run = try NurtureCLI.run(["leads", "show", "J1@EXAMPLE.org", "--db", db])
        #expect(run.status == 0, "\(run.stderr)")
        let shown = try #require(try JSONSerialization.jsonObject(with: run.stdoutData) as? [String: Any])
        #expect(shown["id"] as? String == "J-1" && shown["timeZone"] as? String == "Europe/Berlin")
        #expect((shown["owner"] as? [String: Any])?["email"] as? String == "dana@vendor.example")
        let shownState = try #require(shown["state"] as? [String: Any])
        #expect(shownState["stage"] as? String == "mql" && shownState["grade"] as? String == "A")
        let enrollments = try #require(shownState["enrollments"] as? [[String: Any]])
        #expect(enrollments.map { $0["sequence"] as? String } == ["post-webinar"])
        #expect(enrollments.first?["enrolledAt"] as? String == "2026-03-02T09:00:00Z")
        #expect(enrollments.first?["sentSteps"] as? [Int] == [0, 2])
        #expect(enrollments.first?["status"] as? String == "exited: reply")

        let missing = try NurtureCLI.run(["leads", "show", "nobody@example.org", "--db", db])
        #expect(missing.status == 1 && missing.stderr == "no lead 'nobody@example.org' in \(db)\n", "\(missing.stderr)")
    }
}
