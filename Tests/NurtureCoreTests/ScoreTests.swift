import Foundation
import NurtureTestSupport
import Testing
@testable import NurtureCore

@Suite("Scoring")
struct ScoreTests {
    let model = Fixtures.scoring()
    let noDecay = Fixtures.scoring(halfLife: nil)
    let t0 = utc(2026, 3, 2, 15)

    func isClose(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool { abs(a - b) <= tolerance * max(1, abs(b)) }

    // MARK: Fit

    @Test(arguments: Fixtures.Grade.allCases)
    func fitPointsAndGrades(grade: Fixtures.Grade) {
        let lead = Fixtures.lead(grade)
        #expect(model.fitPoints(for: lead) == Fixtures.fitPoints(grade))
        #expect(model.grade(forFitPoints: model.fitPoints(for: lead)) == grade.rawValue)
    }

    @Test func gradesAreSortedAndTheLowestIsTheFloor() {
        #expect(model.grades.map(\.name) == ["A", "B", "C", "D"])
        #expect(model.grade(forFitPoints: 40) == "A")
        #expect(model.grade(forFitPoints: 39.9) == "B")
        #expect(model.grade(forFitPoints: -15) == "D")
        #expect(ScoringModel().grade(forFitPoints: 10) == "-")
        #expect(model.bestFitPoints == 45)
    }

    @Test func fitRuleMatching() {
        let lead = Lead(id: "x", email: "x@example.com", attributes: ["title": "Head of RevOps", "company_size": "5,000", "industry": "Financial Services"])
        #expect(FitRule(attribute: "title", match: .contains(["head of"]), points: 1).applies(to: lead))
        #expect(FitRule(attribute: "industry", match: .oneOf(["financial services"]), points: 1).applies(to: lead))
        #expect(FitRule(attribute: "company_size", match: .range(atLeast: 200, atMost: 5000), points: 1).applies(to: lead))
        #expect(!FitRule(attribute: "company_size", match: .range(atLeast: 5001, atMost: nil), points: 1).applies(to: lead))
        #expect(!FitRule(attribute: "country", match: .oneOf(["US"]), points: 1).applies(to: lead))
        #expect(FitRule(attribute: "email", match: .contains(["@example.com"]), points: 1).applies(to: lead))
    }

    // MARK: Engagement points

    @Test func categoriesOverrideTheDefaultPoints() {
        #expect(model.points(for: EngagementEvent(.emailClick, category: "pricing")) == 15)
        #expect(model.points(for: EngagementEvent(.emailClick, category: "blog")) == 5)
        #expect(model.points(for: EngagementEvent(.emailClick)) == 5)
        #expect(model.points(for: EngagementEvent(.pageVisit, category: "careers")) == -10)
        #expect(model.points(for: EngagementEvent(.complaint)) == 0)
    }

    @Test func scoreHalvesEveryHalfLife() {
        var score = Score(at: t0)
        #expect(score.award(EngagementEvent(.reply), at: t0, model: model) == 20)
        #expect(score.value(at: t0, model: model) == 20)
        #expect(isClose(score.value(at: t0.plus(days: 30), model: model), 10))
        #expect(isClose(score.value(at: t0.plus(days: 60), model: model), 5))
        #expect(isClose(score.value(at: t0.plus(days: 15), model: model), 20 / 2.squareRoot()))
        // Reading never changes the score, and time before the last change does not grow it.
        #expect(score.value(at: t0.plus(days: -5), model: model) == 20)
        // Points added later decay from their own time.
        score.award(EngagementEvent(.formFill), at: t0.plus(days: 30), model: model)
        #expect(isClose(score.value(at: t0.plus(days: 30), model: model), 35))
        #expect(isClose(score.value(at: t0.plus(days: 60), model: model), 17.5))
    }

    @Test func withoutHalfLifePointsNeverDecay() {
        var score = Score(at: t0)
        score.award(EngagementEvent(.reply), at: t0, model: noDecay)
        #expect(score.value(at: t0.plus(days: 3650), model: noDecay) == 20)
        #expect(noDecay.decayFactor(over: 1e9) == 1)
        #expect(model.decayFactor(over: 30 * 86_400) == 0.5)
        #expect(model.decayFactor(over: 0) == 1)
        #expect(model.decayFactor(over: -86_400) == 1)
    }

    @Test func negativePointsAreNotCapped() {
        var score = Score(at: t0)
        score.award(EngagementEvent(.formFill), at: t0, model: noDecay)
        #expect(score.award(EngagementEvent(.pageVisit, category: "careers"), at: t0, model: noDecay) == -10)
        #expect(score.award(EngagementEvent(.unsubscribe), at: t0, model: noDecay) == -40)
        #expect(score.value(at: t0, model: noDecay) == -25)
        score.adjust(by: -5, at: t0.plus(hours: 1), model: noDecay)
        #expect(score.value(at: t0.plus(hours: 1), model: noDecay) == -30)
        // Zero-point events change nothing.
        #expect(score.award(EngagementEvent(.complaint), at: t0.plus(hours: 2), model: noDecay) == 0)
        #expect(score.value(at: t0.plus(hours: 2), model: noDecay) == -30)
    }

    @Test func machineOpensCannotExceedTheOpenCap() {
        // A privacy proxy opens every email, once an hour for 20 days.
        var score = Score(at: t0)
        var awarded: [(Date, Double)] = []
        for hour in 0..<(20 * 24) {
            let now = t0.plus(hours: Double(hour))
            awarded.append((now, score.award(EngagementEvent(.emailOpen), at: now, model: noDecay)))
        }
        // Periods start at 0, 7 and 14 days: 5 points each.
        #expect(score.value(at: t0.plus(days: 20), model: noDecay) == 15)
        #expect(awarded.filter { $0.1 > 0 }.map(\.0) == [0.0, 1, 2, 3, 4, 168, 169, 170, 171, 172, 336, 337, 338, 339, 340].map { t0.plus(hours: $0) })
        // In no 7-day span do opens earn more than the cap... except across two periods, which the
        // "period starts with the first counted event" rule allows: at most twice the cap.
        for (start, _) in awarded {
            let inSpan = awarded.filter { $0.0 >= start && $0.0 < start.plus(days: 7) }.map(\.1).reduce(0, +)
            #expect(inSpan <= 10)
        }
        // With decay the open score levels off below cap / (1 - 0.5^(7/30)).
        var decaying = Score(at: t0)
        for hour in 0..<(120 * 24) {
            decaying.award(EngagementEvent(.emailOpen), at: t0.plus(hours: Double(hour)), model: model)
        }
        let ceiling = 5 / (1 - model.decayFactor(over: 7 * 86_400))
        #expect(decaying.value(at: t0.plus(days: 120), model: model) < ceiling)
        // The score alone can never make an A lead an MQL (45 + ceiling < 80).
        #expect(45 + ceiling < 80)
    }

    @Test func aCapPeriodStartsWithTheFirstCountedEventAndRunsItsLength() {
        var score = Score(at: t0)
        let pricing = EngagementEvent(.emailClick, category: "pricing")
        let caseStudy = EngagementEvent(.emailClick, category: "case-study")
        #expect(score.award(pricing, at: t0, model: noDecay) == 15)
        #expect(score.award(caseStudy, at: t0.plus(days: 2), model: noDecay) == 8)
        // Only 7 of the 15 fit under the 30-point cap.
        #expect(score.award(pricing, at: t0.plus(days: 3), model: noDecay) == 7)
        #expect(score.award(pricing, at: t0.plus(days: 6.9), model: noDecay) == 0)
        // Seven days after the period's first event, a new period starts.
        #expect(score.award(pricing, at: t0.plus(days: 7), model: noDecay) == 15)
        #expect(score.award(pricing, at: t0.plus(days: 8), model: noDecay) == 15)
        #expect(score.award(pricing, at: t0.plus(days: 9), model: noDecay) == 0)
        #expect(score.value(at: t0.plus(days: 9), model: noDecay) == 60)
        // Caps are per event type: a form fill is not held back by the click cap.
        #expect(score.award(EngagementEvent(.formFill), at: t0.plus(days: 9), model: noDecay) == 25)
    }

    @Test func engagementCeiling() {
        // Page visits earn points without a cap: no ceiling.
        #expect(model.engagementCeiling == nil)
        let capped = ScoringModel(
            engagement: [
                .emailOpen: EngagementRule(points: 1, cap: .init(points: 3, per: span("7d"))),
                .pageVisit: EngagementRule(points: -10),
            ],
            halfLife: span("30d"))
        let expected = 3 / (1 - exp2(-7.0 / 30))
        #expect(isClose(capped.engagementCeiling!, expected))
        #expect(ScoringModel(engagement: [.emailOpen: EngagementRule(points: 1, cap: .init(points: 3, per: span("7d")))]).engagementCeiling == nil)
    }

    // MARK: Through the engine

    @Test func engineReportsScoreChangesWithReasons() {
        var run = Run(Fixtures.definitions([]), lead: Fixtures.lead(.A), at: t0)
        let click = run.step(.event(EngagementEvent(.emailClick, category: "pricing")), at: t0)
        #expect(click == [.scoreChanged(from: 45, to: 60, reason: "email click (pricing)")])
        let visit = run.step(.event(EngagementEvent(.pageVisit, category: "careers")), at: t0.plus(days: 30))
        #expect(visit.scoreChanges.count == 1)
        #expect(isClose(visit.scoreChanges[0].from, 45 + 7.5))
        #expect(isClose(visit.scoreChanges[0].to, 45 + 7.5 - 10))
        #expect(visit.scoreChanges[0].reason == "page visit (careers)")
        #expect(isClose(run.facts(at: t0.plus(days: 60)).engagement, -2.5 / 2))
        #expect(run.facts(at: t0.plus(days: 60)).fitPoints == 45)
        // An event that earns nothing (the open cap is used up) reports no change.
        for _ in 0..<5 { run.step(.event(EngagementEvent(.emailOpen)), at: t0.plus(days: 61)) }
        #expect(run.step(.event(EngagementEvent(.emailOpen)), at: t0.plus(days: 61)).isEmpty)
    }
}
