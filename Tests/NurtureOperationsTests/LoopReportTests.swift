import Foundation
import NurtureCore
import NurtureDefinitions
import NurtureOperations
import NurtureStore
import NurtureTestSupport
import Testing

/// A recorded history with known outcomes, in a real store, and the closed-loop report made of it.
///
/// Four weeks from Monday 2 March 2026. Every hand-off is from `post-webinar`, grade A:
/// - A opens `recap` (a tracked email of post-webinar), visits `pricing`, is handed off and
///   accepted, qualified at 50,000 USD, won at 48,000 USD; a `blog` visit after its hand-off
///   does not count.
/// - B opens `recap`; a privacy proxy "opens" `case-study` (category machine). Handed off,
///   rejected as not-ready, then disqualified as bad-fit.
/// - C has only a machine's open: it is not a nurtured lead at all.
/// - D clicks `case-study` (link category case-study), is handed off and rejected, visits
///   `pricing`, is handed off again and accepted, and won at 10,000.01 USD.
/// - E visits `blog` and is never handed off.
struct LoopHistory {
    static let start = utc(2026, 3, 2, 0)
    static let end = utc(2026, 3, 30, 0)
    static func day(_ number: Int, _ hour: Int = 10) -> Date { utc(2026, 3, 2 + number, hour) }

    let fixture: LoopFixture

    init(_ name: String) throws {
        fixture = try LoopFixture(name)
        let store = fixture.store
        _ = try store.upsert(["L-A", "L-B", "L-C", "L-D", "L-E"].map { LoopFixture.lead($0, owner: LoopFixture.hannah, stage: "opportunity") })
        var items: [InboxItem] = []
        func event(_ lead: String, _ kind: String, at: Date, category: String? = nil, sequence: String? = nil, step: String? = nil) {
            items.append(InboxItem(
                id: "\(lead)|\(items.count)", leadID: lead, at: at,
                payload: .event(kind: kind, category: category, sequence: sequence, step: step)))
        }
        event("L-A", "email_open", at: Self.day(1), sequence: "post-webinar", step: "recap")
        event("L-A", "page_visit", at: Self.day(2), category: "pricing")
        event("L-A", "page_visit", at: Self.day(6), category: "blog")
        event("L-B", "email_open", at: Self.day(1), sequence: "post-webinar", step: "recap")
        event("L-B", "email_open", at: Self.day(2), category: "machine", sequence: "post-webinar", step: "case-study")
        event("L-C", "email_open", at: Self.day(2), category: "machine", sequence: "welcome", step: "intro")
        event("L-D", "email_click", at: Self.day(1), category: "case-study", sequence: "post-webinar", step: "case-study")
        event("L-D", "page_visit", at: Self.day(4), category: "pricing")
        event("L-E", "page_visit", at: Self.day(1), category: "blog")
        _ = try store.append(items)

        let hannah = LoopFixture.hannah
        let notReady = RepAction("reject", reason: "not-ready")
        let a = try fixture.handOff("L-A", to: hannah, at: Self.day(3), due: Self.day(4))
        try store.answer(a, with: RepAction("accept"), accepted: true, touchDue: nil, movesLead: false, at: Self.day(3, 12), source: "rep")
        try store.recordAction(RepAction("qualify"), value: DealValue(hundredths: 5_000_000, currency: "USD"), leadID: "L-A", at: Self.day(4), source: "rep")
        try store.recordAction(RepAction("won"), value: DealValue(hundredths: 4_800_000, currency: "USD"), leadID: "L-A", at: Self.day(5), source: "rep")
        let b = try fixture.handOff("L-B", to: hannah, at: Self.day(3), due: Self.day(4))
        try store.answer(b, with: notReady, accepted: false, touchDue: nil, movesLead: false, at: Self.day(3, 12), source: "rep")
        try store.recordAction(RepAction("disqualify", reason: "bad-fit"), leadID: "L-B", handOffID: nil, at: Self.day(6), source: "rep")
        let d1 = try fixture.handOff("L-D", to: hannah, at: Self.day(2), due: Self.day(3))
        try store.answer(d1, with: notReady, accepted: false, touchDue: nil, movesLead: false, at: Self.day(2, 12), source: "rep")
        let d2 = try fixture.handOff("L-D", to: hannah, at: Self.day(5), due: Self.day(6))
        try store.answer(d2, with: RepAction("accept"), accepted: true, touchDue: nil, movesLead: false, at: Self.day(5, 12), source: "rep")
        try store.recordAction(RepAction("won"), value: DealValue(hundredths: 1_000_001, currency: "USD"), leadID: "L-D", at: Self.day(7), source: "rep")
    }

    func report(_ attribution: LoopReport.Attribution, goal: SharedGoal? = nil) throws -> LoopReport {
        var lifecycle = LoopFixture.definitions.lifecycle
        lifecycle.goal = goal
        return try LoopReport.make(
            store: fixture.store, lifecycle: lifecycle, since: Self.start, until: Self.end, attribution: attribution, now: Self.end)
    }
}

@Suite("The closed-loop report")
struct LoopReportTests {
    func group(_ report: LoopReport, _ dimension: String, _ name: String) throws -> LoopReport.Group {
        try #require(report.groups.first { $0.dimension == dimension && $0.name == name }, "no \(dimension) \(name)")
    }

    func usd(_ amount: Decimal) -> [String] { ["\(amount) USD"] }

    func amounts(_ money: [LoopReport.Money]) -> [String] { money.map { "\($0.amount) \($0.currency)" } }

    @Test func countsRatesAndTheSharedNumber() throws {
        let history = try LoopHistory("nurture-loop-counts")
        defer { history.fixture.remove() }
        let report = try history.report(.last, goal: SharedGoal(metric: .revenue, hundredths: 2_500_000, currency: "USD", per: .week))

        #expect(report.nurtured == 4)
        let shared = report.sharedNumber
        #expect(shared.handedOff == 4 && shared.accepted == 2 && shared.qualified == 1 && shared.won == 2 && shared.wonWithoutValue == 0)
        #expect(amounts(shared.pipeline) == usd(50_000) && amounts(shared.revenue) == usd(Decimal(string: "58000.01")!))
        let goal = try #require(shared.goal)
        #expect(goal.target == 100_000 && goal.actual == Decimal(string: "58000.01")! && goal.currency == "USD")
        #expect(abs(goal.share! - 0.5800001) < 1e-9)

        let sequence = try group(report, "sequence", "post-webinar")
        #expect(sequence.met == 3 && sequence.handedOff == 3 && sequence.accepted == 2 && sequence.qualified == 1 && sequence.won == 2)
        #expect(sequence.wonRate.count == 2 && sequence.wonRate.total == 3)
        // The 95% Wilson interval of 2 of 3.
        #expect(abs(sequence.wonRate.low! - 0.2077) < 1e-4 && abs(sequence.wonRate.high! - 0.9385) < 1e-4)
        #expect(sequence.wonLift == nil, "E, the only lead that did not meet it, was not won: no baseline")

        let caseStudy = try group(report, "content", "case-study")
        #expect(caseStudy.met == 1 && caseStudy.won == 1)
        #expect(caseStudy.wonLift == 3, "1 of 1 against 1 of 3 (A, B, E)")
        #expect(caseStudy.acceptedLift == 2, "1 of 1 against 1 of 2 handed off (A, B)")
        let recap = try group(report, "email", "post-webinar/recap")
        #expect(recap.met == 2 && recap.wonLift == 1)

        let bySequence = try #require(report.rejectionsBySequence.first { $0.key == "post-webinar" })
        #expect(bySequence.handedOff == 4)
        #expect(bySequence.rejected.map { "\($0.reason) \($0.count)" } == ["not-ready 2"])
        #expect(bySequence.disqualified.map { "\($0.reason) \($0.count)" } == ["bad-fit 1"])
        #expect(report.rejectionsByGrade.map(\.key) == ["A"])
        #expect(report.serviceLevels.marketing.delivered == 4)
    }

    @Test func machineOpensAndTouchesAfterTheHandOffNeverCount() throws {
        let history = try LoopHistory("nurture-loop-machine")
        defer { history.fixture.remove() }
        let report = try history.report(.linear)
        // B's machine open of case-study is not a touch; C, with only a machine's open, is not there at all.
        #expect(try group(report, "email", "post-webinar/case-study").met == 1)
        #expect(!report.groups.contains { $0.name == "welcome" || $0.name == "welcome/intro" || $0.name == "machine" })
        // A's blog visit came after its hand-off: only E met blog.
        #expect(try group(report, "content", "blog").met == 1)
    }

    @Test func revenueUnderEachAttribution() throws {
        let history = try LoopHistory("nurture-loop-attribution")
        defer { history.fixture.remove() }
        // D, handed off twice, is credited up to its second hand-off, the one its win followed:
        // its pricing visit between the two hand-offs is its last touch.
        let expected: [(LoopReport.Attribution, pricing: Decimal, caseStudy: Decimal)] = [
            (.first, 48_000, Decimal(string: "10000.01")!),
            (.last, Decimal(string: "58000.01")!, 0),
            // 1,000,001 hundredths over two touches: 500,001 to the earlier, case-study.
            (.linear, 53_000, Decimal(string: "5000.01")!),
        ]
        for (attribution, pricing, caseStudy) in expected {
            let report = try history.report(attribution)
            #expect(try amounts(group(report, "content", "pricing").revenue) == usd(pricing), "\(attribution)")
            #expect(try amounts(group(report, "content", "case-study").revenue) == (caseStudy == 0 ? [] : usd(caseStudy)), "\(attribution)")
            // Every rule credits each dimension with the whole revenue, once.
            #expect(try amounts(group(report, "sequence", "post-webinar").revenue) == usd(Decimal(string: "58000.01")!), "\(attribution)")
            let pricingGroup = try group(report, "content", "pricing")
            #expect(pricingGroup.met == 2 && pricingGroup.handedOff == 2 && pricingGroup.won == 2, "D counts once")
        }
    }

    @Test func smallGroupsAreFlaggedNotRanked() throws {
        let fixture = try LoopFixture("nurture-loop-small")
        defer { fixture.remove() }
        let leads = (1...23).map { LoopFixture.lead("L-\($0)") }
        _ = try fixture.store.upsert(leads)
        // 20 leads read the guide, 3 of them won; 3 others saw pricing and all won.
        let items = leads.enumerated().map { index, lead in
            InboxItem(id: "e\(index)", leadID: lead.id, at: LoopHistory.day(1), payload: .event(
                kind: "page_visit", category: index < 20 ? "guide" : "pricing", sequence: nil, step: nil))
        }
        _ = try fixture.store.append(items)
        for lead in leads.suffix(3) + leads.prefix(3) {
            _ = try fixture.handOff(lead.id, to: LoopFixture.hannah, at: LoopHistory.day(2), due: LoopHistory.day(3))
            try fixture.store.recordAction(RepAction("won"), leadID: lead.id, handOffID: nil, at: LoopHistory.day(4), source: "rep")
        }
        let report = try LoopReport.make(
            store: fixture.store, lifecycle: LoopFixture.definitions.lifecycle, since: LoopHistory.start, until: LoopHistory.end,
            attribution: .last, now: LoopHistory.end)
        let guide = try group(report, "content", "guide"), pricing = try group(report, "content", "pricing")
        #expect(!guide.small && guide.rank == 1 && guide.met == 20 && guide.won == 3)
        #expect(pricing.small && pricing.rank == nil, "a perfect rate on 3 leads is not ranked above 20")
        #expect(report.groups.filter { $0.dimension == "content" }.map(\.name) == ["guide", "pricing"])
        #expect(report.sharedNumber.wonWithoutValue == 6)
    }

    @Test func theFormsNameTheRules() throws {
        let history = try LoopHistory("nurture-loop-forms")
        defer { history.fixture.remove() }
        let report = try history.report(.first, goal: SharedGoal(metric: .revenue, hundredths: 2_500_000, currency: "USD", per: .week))
        #expect(report.text.contains("58,000.01 USD from 2 won"), "\(report.text)")
        #expect(report.text.contains("attribution: first touch"))
        #expect(report.text.contains("58,000.01 of 100,000.00 USD revenue (58%"), "\(report.text)")
        #expect(report.html.hasPrefix("<!DOCTYPE html>") && report.html.contains("<td>small</td><td>post-webinar</td>"))
        #expect(!report.html.contains("<script"))
    }
}

/// `goal:` in lifecycle.yml, as the report reads it.
@Suite("The shared goal")
struct SharedGoalTests {
    @Test func loadsAndScalesToThePeriod() throws {
        let folder = try TemporaryFolder.make("nurture-goal")
        defer { TemporaryFolder.remove(folder) }
        let copy = folder.appendingPathComponent("sequences")
        try FileManager.default.copyItem(at: PackageFolders.sequences, to: copy)
        let lifecycle = copy.appendingPathComponent("lifecycle.yml")
        let text = try String(contentsOf: lifecycle, encoding: .utf8)
        // The shipped goal, replaced by one with cents in another currency.
        let shipped = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).first { $0.hasPrefix("goal:") })
        try text.replacingOccurrences(of: shipped, with: "goal: {metric: pipeline, amount: 500000.50, currency: EUR, per: quarter}")
            .write(to: lifecycle, atomically: true, encoding: .utf8)
        let loaded = DefinitionLoader.load(directory: copy.path)
        #expect(!loaded.diagnostics.hasErrors, "\(loaded.diagnostics.errors)")
        let goal = try #require(loaded.definitions?.lifecycle.goal)
        #expect(goal == SharedGoal(metric: .pipeline, hundredths: 50_000_050, currency: "EUR", per: .quarter))
        // A quarter is 91.3125 days on average: half of one is half the goal.
        #expect(goal.scaled(from: LoopHistory.start, to: LoopHistory.start.addingTimeInterval(91.3125 * 43_200)) == 25_000_025)
    }
}
