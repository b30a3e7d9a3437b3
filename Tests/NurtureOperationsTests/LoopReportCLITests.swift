import Foundation
import NurtureCore
import NurtureStore
import NurtureTestSupport
import Testing

/// `nurture report loop` and deal values on `nurture handoffs outcome`, through the built binary.
@Suite("The closed-loop report from the command line")
struct LoopReportCLITests {
    @Test func theReportInEachForm() throws {
        let history = try LoopHistory("nurture-loop-cli")
        defer { history.fixture.remove() }
        let common = ["report", "loop", "--db", history.fixture.path, "--definitions", PackageFolders.sequences.path,
                      "--since", "2026-03-02", "--until", "2026-03-30"]
        let json = try NurtureCLI.run(common + ["--attribution", "first", "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        #expect(!json.stdout.contains("@prospect.example"), "the report names no prospect")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["attribution"] as? String == "first" && object["nurtured"] as? Int == 4 && object["minimum_group"] as? Int == 20)
        let groups = try #require(object["groups"] as? [[String: Any]])
        let pricing = try #require(groups.first { $0["dimension"] as? String == "content" && $0["name"] as? String == "pricing" })
        let revenue = try #require(pricing["revenue"] as? [[String: Any]])
        #expect(revenue.count == 1 && revenue[0]["currency"] as? String == "USD" && (revenue[0]["amount"] as? NSNumber)?.intValue == 48_000)
        #expect(pricing["small"] as? Bool == true && pricing["rank"] == nil)

        let page = history.fixture.folder.appendingPathComponent("loop.html")
        let html = try NurtureCLI.run(common + ["--format", "html", "--out", page.path])
        #expect(html.status == 0, "\(html.stderr)")
        #expect(try String(contentsOf: page, encoding: .utf8).contains("Revenue is credited by last touch"))

        let bad = try NurtureCLI.run(common + ["--attribution", "middle"])
        #expect(bad.status == 64 && bad.stderr.contains("middle"), "\(bad.stderr)")
    }

    @Test func anOutcomeWithItsValue() throws {
        let history = try LoopHistory("nurture-loop-cli-outcome")
        defer { history.fixture.remove() }
        let common = ["--db", history.fixture.path, "--definitions", PackageFolders.sequences.path, "--at", "2026-03-20T10:00:00Z"]
        let before = try history.fixture.snapshot()
        for (amount, currency, message) in [("12.345", "USD", "2 after"), ("48000", "usd", "ISO 4217"), ("0", "USD", "more than 0")] {
            let refused = try NurtureCLI.run(["handoffs", "outcome", "L-E", "won", "--amount", amount, "--currency", currency] + common)
            #expect(refused.status == 64 && refused.stderr.contains(message), "\(refused.stderr)")
        }
        let alone = try NurtureCLI.run(["handoffs", "outcome", "L-E", "won", "--amount", "48000"] + common)
        #expect(alone.status == 64 && alone.stderr.contains("--amount needs --currency"), "\(alone.stderr)")
        #expect(try history.fixture.snapshot() == before)

        let recorded = try NurtureCLI.run(["handoffs", "outcome", "L-E", "won", "--amount", "48000.50", "--currency", "EUR"] + common)
        #expect(recorded.status == 0, "\(recorded.stderr)")
        #expect(recorded.stdout.contains("recorded won worth 48000.50 EUR for L-E"), "\(recorded.stdout)")
        let values = try history.fixture.store.repActions(since: nil, until: nil).filter { $0.leadID == "L-E" }.map(\.value)
        #expect(values == [DealValue(hundredths: 4_800_050, currency: "EUR")])
    }
}
