import Foundation
import NurtureCore
import NurtureOperations
import NurtureStore
import NurtureTestSupport
import Testing

/// Capacity-aware routing end to end: the scheduler on a virtual clock, a real SQLite file, the
/// shipped definitions with a small team. Hand-offs of unowned leads and of an away owner's lead
/// spread by capacity left and in turn, the ledger keeps each reason, notices and the SLA ledger
/// follow the routed rep, and a lead its rep rejected comes back to someone else. Two stores on
/// one file routing at once never give a rep more than their share.
@Suite(.timeLimit(.minutes(8)))
struct RoutingStoryTests {
    static let marcus = Rep(name: "Marcus Webb", email: "marcus.webb@example.com", title: "Account Executive", phone: "+1 646 555 0198")
    /// Monday 2 March 2026, 10:00 in New York.
    static let start = utc(2026, 3, 2, 15)

    /// The shipped definitions, with a team small enough to fill: Hannah 2 a day, Marcus 1 and
    /// away on Monday 2 March, Priya 2.
    static func definitions(in folder: URL) throws -> DefinitionSet {
        let definitions = try TestEnvironment.makeDefinitions(in: folder)
        let file = definitions.appendingPathComponent("lifecycle.yml")
        let shipped = try String(contentsOf: file, encoding: .utf8)
        let team = """
              - name: Northwind sales
                capacity: 2
                members:
                  - hannah.lee@example.com
                  - {rep: marcus.webb@example.com, capacity: 1, away: [2026-03-02]}
                  - priya.raman@example.com

            # Marketing ops
            """
        let teams = try #require(shipped.range(of: "  - name: Northwind sales"))
        let after = try #require(shipped.range(of: "# Marketing ops", range: teams.upperBound..<shipped.endIndex))
        try shipped.replacingCharacters(in: teams.lowerBound..<after.upperBound, with: team).write(to: file, atomically: true, encoding: .utf8)
        return try TestEnvironment.loadDefinitions(definitions.path).get()
    }

    static func lead(_ id: String, owner: Rep? = nil) -> Lead {
        Lead(id: id, email: "\(id.lowercased())@prospect.example", timeZone: TimeZone(identifier: "America/New_York"), owner: owner,
             stage: "lead", attributes: ["first_name": id, "company": "Prospect \(id)"])
    }

    @Test("the ledger shows each assignment and its reason; a rejected lead comes back to someone else")
    func routedHandOffs() async throws {
        let folder = try TemporaryFolder.make("nurture-routing")
        defer { TemporaryFolder.remove(folder) }
        let definitions = try Self.definitions(in: folder)
        let transport = RetryInProcessTests.ScriptedTransport([])
        let rig = try VirtualRig(folder: folder, definitions: definitions, transport: transport, start: Self.start)
        _ = try rig.store.upsert(["L-1", "L-2", "L-3", "L-4", "L-6"].map { Self.lead($0) } + [Self.lead("L-5", owner: Self.marcus)])

        // Monday: each lead books a meeting, ten minutes apart, and is handed off.
        for id in ["L-1", "L-2", "L-3", "L-4", "L-5"] {
            rig.clock.advance(by: 600)
            try rig.event(.meetingBooked, lead: id)
            try await rig.drive(until: rig.clock.now().addingTimeInterval(60))
        }
        var ledger = try rig.store.handOffs(HandOffFilter(), now: rig.clock.now())
        let monday = ledger.map { "\($0.leadID) \($0.repEmail ?? "-") (\($0.routeReason ?? "-"))" }
        #expect(monday == [
            "L-1 hannah.lee@example.com (default-queue, rotation)",
            "L-2 priya.raman@example.com (default-queue, most-capacity-left)",
            "L-3 hannah.lee@example.com (default-queue, rotation)",
            "L-4 priya.raman@example.com (default-queue, most-capacity-left)",
            "L-5 hannah.lee@example.com (owner-away, rotation, everyone-at-capacity)",
        ])

        // Each hand-off's notice went to the rep it was routed to, and says why.
        let file = try rig.file()
        let notices = try file.rows("SELECT hand_off_id, rep_email FROM notice WHERE kind = 'hand_off' AND channel = 'email' ORDER BY hand_off_id")
        #expect(notices.map { $0["rep_email"] as String } == ledger.map { $0.repEmail ?? "" })
        let mailed = transport.handed.filter { String(decoding: $0.bytes, as: UTF8.self).contains("Subject: Hand-off #") }
        #expect(mailed.map(\.recipients) == ledger.map { [$0.repEmail ?? ""] }, "\(mailed.map(\.recipients))")
        let toL5 = mailed.last.map { String(decoding: $0.bytes, as: UTF8.self).replacingOccurrences(of: "=\r\n", with: "") } ?? ""
        #expect(toL5.contains("Why you: shared out by the team's capacity (owner-away, rotation, everyone-at-capacity)."), "\(toL5)")
        #expect(try file.audit(lead: "L-5").contains { $0.contains("routed to hannah.lee@example.com (owner-away, rotation, everyone-at-capacity)") })

        // Tuesday: Hannah rejects L-1 as not ready and it is recycled. A new lead goes to Priya in
        // turn; then L-1 books another meeting. Hannah has the most room, but she rejected it: it
        // goes to Marcus, back from his day off, in turn after Priya.
        rig.clock.advance(to: utc(2026, 3, 3, 14))
        let desk = HandOffDesk(store: rig.store, lifecycle: definitions.lifecycle)
        _ = try desk.reject(ledger[0].id, reason: "not-ready", at: rig.clock.now())
        try await rig.drive(until: rig.clock.now().addingTimeInterval(60))
        #expect(try rig.store.lead("L-1")?.1?.stage == "recycled")
        for id in ["L-6", "L-1"] {
            rig.clock.advance(by: 3_600)
            try rig.event(.meetingBooked, lead: id)
            try await rig.drive(until: rig.clock.now().addingTimeInterval(60))
        }
        #expect(try rig.store.handOffs(HandOffFilter(leadID: "L-6"), now: rig.clock.now()).map(\.repEmail) == ["priya.raman@example.com"])
        ledger = try rig.store.handOffs(HandOffFilter(leadID: "L-1"), now: rig.clock.now())
        try #require(ledger.count == 2)
        #expect(ledger[1].repEmail == "marcus.webb@example.com")
        #expect(ledger[1].routeReason == "default-queue, rotation, rejected-before-excluded")

        // The SLA ledger counts each hand-off for the rep it was routed to.
        let sla = SLALedger(
            handOffs: try rig.store.handOffs(HandOffFilter(), now: rig.clock.now()),
            requests: [], lifecycle: definitions.lifecycle, since: Self.start, until: rig.clock.now(), now: rig.clock.now())
        // Monday's unanswered hand-offs expired on Tuesday morning and went to the queue, as
        // on_expiry says, without routing.
        let all = try rig.store.handOffs(HandOffFilter(), now: rig.clock.now())
        #expect(all.filter { $0.repEmail == "sdr-queue@example.com" }.allSatisfy { $0.routeReason == nil && $0.reason.hasPrefix("expired unanswered") })
        #expect(sla.reps.map(\.rep).sorted() == ["hannah.lee@example.com", "marcus.webb@example.com", "priya.raman@example.com", "sdr-queue@example.com"])
        #expect(sla.reps.first { $0.rep == "hannah.lee@example.com" }?.handOffs == 3)
        #expect(sla.reps.first { $0.rep == "hannah.lee@example.com" }?.rejected == 1)

        // The command line shows the reasons.
        let list = try NurtureCLI.run(["handoffs", "list", "--db", rig.dbPath])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("to hannah.lee@example.com (owner-away, rotation, everyone-at-capacity)"), "\(list.stdout)")
        let show = try NurtureCLI.run(["handoffs", "show", String(ledger[1].id), "--db", rig.dbPath])
        #expect(show.stdout.contains("routed    default-queue, rotation, rejected-before-excluded"), "\(show.stdout)")
    }

    @Test("two stores on one file routing at once give each rep exactly their capacity")
    func concurrentRouting() async throws {
        let folder = try TemporaryFolder.make("nurture-routing-race")
        defer { TemporaryFolder.remove(folder) }
        let definitions = try Self.definitions(in: folder)
        let rules = try #require(definitions.lifecycle.routing)
        let path = folder.appendingPathComponent("nurture.sqlite").path
        let stores = [try SQLiteStore(path: path), try SQLiteStore(path: path)]
        // Hannah 2 and Priya 2 present on Monday (Marcus is away): 4 hand-offs fill the day.
        let leads = (1...4).map { Self.lead("R-\($0)") }
        _ = try stores[0].upsert(leads)
        let queue = try #require(definitions.lifecycle.defaultOwner)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, lead) in leads.enumerated() {
                let store = stores[index % 2]
                group.addTask {
                    let handOff = HandOff(rep: queue, reason: "meeting booked", sequence: nil, score: 50, grade: "A", due: nil, at: Self.start)
                    try store.addHandOffs(
                        [NewHandOff(handOff, summary: nil, definitionsVersion: 1, routing: rules)], notices: [], leadID: lead.id, at: Self.start)
                }
            }
            try await group.waitForAll()
        }
        let ledger = try stores[0].handOffs(HandOffFilter(), now: Self.start)
        let counts = Dictionary(grouping: ledger, by: { $0.repEmail ?? "" }).mapValues(\.count)
        #expect(counts == ["hannah.lee@example.com": 2, "priya.raman@example.com": 2], "\(ledger.map { ($0.repEmail, $0.routeReason) })")
        #expect(ledger.allSatisfy { !($0.routeReason ?? "").contains("everyone-at-capacity") })
    }
}
