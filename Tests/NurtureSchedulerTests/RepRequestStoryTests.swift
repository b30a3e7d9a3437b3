import Foundation
import NurtureCore
import NurtureOperations
import NurtureStore
import NurtureTestSupport
import Testing

/// A rep asks for three of their prospects to be nurtured: the emails go out as the rep, the rep's
/// rolling 24-hour cap holds, the leads come back to the rep who asked, and the ledger shows which
/// requests were used, went unused or were abandoned.
@Suite(.timeLimit(.minutes(8)))
struct RepRequestStoryTests {
    static let marcus = "marcus.webb@example.com"

    static func lead(_ id: String) -> Lead {
        Lead(
            id: id, email: "\(id.lowercased())@prospect.example", timeZone: TimeZone(identifier: "America/New_York"), stage: "sal",
            attributes: ["first_name": "Jo", "last_name": id, "company": "Prospect \(id)", "title": "VP Revenue Operations",
                         "company_size": "800", "industry": "software", "demo_focus": "the weekly forecast call"])
    }

    @Test(
        "emails go out as the rep within the rep's cap; hand-backs reach the rep who asked; used, unused and abandoned in the ledger",
        .enabled(if: TestServers.runCaptureTests, "needs /usr/bin/python3 with aiosmtpd (always runs under CI=true)"))
    func requestedNurturesComeBackToTheirRep() async throws {
        let folder = try TemporaryFolder.make("nurture-rep-requests")
        defer { TemporaryFolder.remove(folder) }
        // The shipped definitions, with a cap of two emails a day per rep inbox.
        let definitionsFolder = try TestEnvironment.makeDefinitions(in: folder)
        let lifecycleFile = definitionsFolder.appendingPathComponent("lifecycle.yml")
        let lifecycleText = try String(contentsOf: lifecycleFile, encoding: .utf8)
        try #require(lifecycleText.contains("rep_send_cap: 1000"))
        try lifecycleText.replacingOccurrences(of: "rep_send_cap: 1000", with: "rep_send_cap: 2")
            .write(to: lifecycleFile, atomically: true, encoding: .utf8)
        let definitions = try TestEnvironment.loadDefinitions(definitionsFolder.path).get()
        #expect(definitions.lifecycle.repSendCap == 2)

        let server = try CaptureServer()
        defer { server.stop() }
        // Tuesday 3 March 2026, 08:00 in New York: the sequence sends Tuesday to Thursday, 08:30 to 11:30.
        let start = utc(2026, 3, 3, 13)
        let rig = try VirtualRig(folder: folder, definitions: definitions, relay: server.url, start: start)
        _ = try rig.store.upsert(["R-1", "R-2", "R-3"].map(Self.lead))
        let requests = RequestDesk(store: rig.store, definitions: definitions)
        var ids: [Int64] = []
        for lead in ["R-1", "R-2", "R-3"] {
            let request = try requests.request(
                "post-demo-not-ready", lead: lead, repEmail: Self.marcus, note: "budget frozen until Q3", until: nil, reassign: false,
                at: rig.clock.now())
            ids.append(request.id)
        }
        #expect(try rig.store.lead("R-1")?.0.owner?.email == Self.marcus, "the requesting rep owns the lead")

        // Tuesday: two of the three first emails go out, from Marcus; the third waits for the cap.
        try await rig.drive(until: utc(2026, 3, 3, 18))
        var fromMarcus = try server.messages().filter { $0.header("From")?.contains(Self.marcus) ?? false }
        #expect(fromMarcus.count == 2, "\(fromMarcus.map { $0.recipient ?? "" })")
        let waiting = try rig.file().sends("status = 'pending'")
        #expect(waiting.count == 1 && (waiting.first?.lastText ?? "").contains("reached its cap of 2 emails in 24 hours"), "\(waiting)")

        // Wednesday, once the first two are 24 hours old, the third goes out.
        try await rig.drive(until: utc(2026, 3, 4, 18))
        fromMarcus = try server.messages().filter { $0.header("From")?.contains(Self.marcus) ?? false }
        #expect(Set(fromMarcus.compactMap(\.recipient)) == ["r-1@prospect.example", "r-2@prospect.example", "r-3@prospect.example"])
        let dates = fromMarcus.compactMap(\.date).sorted()
        for (index, date) in dates.enumerated() where index >= 2 {
            #expect(date.timeIntervalSince(dates[index - 2]) >= 86_400, "at most two emails from one rep in any 24 hours: \(dates)")
        }

        // R-1 and R-2 warm up and come back to Marcus, with his note in the summary.
        for lead in ["R-1", "R-2"] {
            for (kind, category) in [(EngagementEvent.Kind.pageVisit, "demo"), (.pageVisit, "pricing"), (.emailClick, "pricing")] {
                rig.clock.advance(by: 60)
                try rig.event(kind, lead: lead, category: category)
            }
        }
        try await rig.drive(until: rig.clock.now().addingTimeInterval(300))
        let handOffs = try rig.store.handOffs(HandOffFilter(), now: rig.clock.now())
        try #require(handOffs.count == 2, "\(handOffs.map(\.leadID))")
        #expect(handOffs.allSatisfy { $0.repEmail == Self.marcus && $0.requestID != nil })
        #expect(handOffs.first?.summary?.requestNote == "budget frozen until Q3")
        let handBack = try server.messages().first { $0.header("Subject")?.hasPrefix("Hand-off #\(handOffs[0].id):") ?? false }
        #expect(handBack?.recipient == Self.marcus)
        #expect(handBack?.quotedPrintableBody.contains("Requested by Marcus Webb <marcus.webb@example.com>: \"budget frozen until Q3\"") ?? false)

        // Marcus takes R-1 back and calls within the day; R-2's hand-back expires; he cancels R-3's.
        let desk = HandOffDesk(store: rig.store, lifecycle: definitions.lifecycle)
        let r1 = try #require(handOffs.first { $0.leadID == "R-1" })
        _ = try desk.accept(r1.id, repEmail: Self.marcus, at: rig.clock.now().addingTimeInterval(600))
        _ = try desk.touch(r1.id, repEmail: Self.marcus, at: rig.clock.now().addingTimeInterval(3_600))
        _ = try requests.cancel(ids[2], repEmail: Self.marcus, at: rig.clock.now())
        try await rig.drive(until: rig.clock.now().addingTimeInterval(3 * 86_400))
        #expect(try rig.store.lead("R-1")?.1?.stage == "sal", "a hand-back is taken back where the lead stands")

        let statuses = try ids.map { try #require(try rig.store.request($0)).status }
        #expect(statuses == [.used, .unused, .abandoned])
        let ledger = SLALedger(
            handOffs: try rig.store.handOffs(HandOffFilter(), now: rig.clock.now()),
            requests: try rig.store.requests(leadID: nil, repEmail: nil, since: nil, until: nil),
            lifecycle: definitions.lifecycle, since: start, until: rig.clock.now(), now: rig.clock.now())
        let row = try #require(ledger.requests.first { $0.rep == Self.marcus })
        #expect(row.requested == 3 && row.used == 1 && row.unused == 1 && row.abandoned == 1 && row.open == 0 && row.late == 0)
    }
}
