import Foundation
import NurtureTestSupport
import PropertyBased
import Testing
@testable import NurtureCore

/// The engine checks thresholds and automatic lifecycle moves in a compiled form; it must answer
/// exactly as the condition as written.
@Suite("Compiled conditions")
struct CompiledConditionTests {
    static let conditions = [
        "score >= 80 and fit in [A, B]", "score >= 60 or engagement > 12", "not fit in [A]", "fit not in [C, D]",
        "stage == mql", "stage != lead and score < 50", "fit_points >= 45", "engagement <= 0",
        "clicked(pricing) or visited", "company_size >= 200 and industry in [software]", "not (score > 40 or replied)",
        "score == 45", "title != VP",
    ]

    @Test func compiledConditionsAnswerAsWritten() {
        let t0 = utc(2026, 3, 2, 15)
        let engine = Engine(Fixtures.definitions([]))
        for grade in Fixtures.Grade.allCases {
            let lead = Fixtures.lead(grade)
            for stage in ["lead", "mql"] {
                for points in [0.0, 12, 50] {
                    var state = engine.start(lead, at: t0)
                    state.stage = stage
                    state.score.adjust(by: points, at: t0, model: engine.definitions.scoring)
                    var effects: [Effect] = []
                    engine.withPass(lead: lead, state: &state, effects: &effects, at: t0.plus(days: 3), wanted: .all) { pass in
                        for text in Self.conditions {
                            let written = condition(text)
                            #expect(
                                CompiledCondition(written).holds(pass) == written.evaluate(pass),
                                "\(text), grade \(grade), \(stage), \(points) points")
                        }
                    }
                }
            }
        }
    }

    /// The leaves random conditions are made of: score bounds of every kind, and terms the score
    /// does not bound.
    static let leaves = [
        "score >= 60", "score > 45", "score == 50", "score < 30", "score <= 75", "score != 12", "engagement >= 10",
        "fit in [A, B]", "stage == mql", "clicked(pricing)", "fit_points >= 30",
    ]

    /// Random conditions: leaves joined by `and`, `or` and `not`, three levels deep.
    static var randomConditions: Generator<Condition, some Sequence & SendableMetatype> {
        let leaf = Gen.int(in: 0...(leaves.count - 1)).map { condition(leaves[$0]) }
        let two = zip(Gen.int(in: 0...2), leaf, leaf).map(join)
        let three = zip(Gen.int(in: 0...2), two, two).map(join)
        return zip(Gen.int(in: 0...2), three, two).map(join)
    }

    private static func join(_ how: Int, _ left: Condition, _ right: Condition) -> Condition {
        switch how {
        case 0: .and(left, right)
        case 1: .or(left, right)
        default: .not(left)
        }
    }

    /// A lead below a condition's score floor never meets it: the engine skips the check there.
    @Test func noConditionHoldsBelowItsScoreFloor() async {
        let t0 = utc(2026, 3, 2, 15)
        let engine = Engine(Fixtures.definitions([]))
        await propertyCheck(
            count: 300, input: Self.randomConditions, Gen.int(in: 0...3), Gen.int(in: 0...90), Gen.bool
        ) { written, grade, points, inMQL in
            let lead = Fixtures.lead(Fixtures.Grade.allCases[grade])
            var state = engine.start(lead, at: t0)
            state.stage = inMQL ? "mql" : "lead"
            state.score.adjust(by: Double(points), at: t0, model: engine.definitions.scoring)
            var effects: [Effect] = []
            engine.withPass(lead: lead, state: &state, effects: &effects, at: t0, wanted: .all) { pass in
                let floor = CompiledCondition(written).scoreFloor, score = pass.totalScore
                let holds = written.evaluate(pass)
                #expect(score >= floor || !holds, "\(written) holds at \(score), below its floor \(floor)")
            }
        }
    }

    @Test func scoreFloorsOfTypicalThresholds() {
        #expect(CompiledCondition(condition("score >= 80 and fit in [A, B]")).scoreFloor == 80)
        #expect(CompiledCondition(condition("fit in [A] and (score > 40 or score >= 70)")).scoreFloor == 40)
        #expect(CompiledCondition(condition("score >= 60 or engagement > 12")).scoreFloor == -.infinity)
        #expect(CompiledCondition(condition("not score < 50")).scoreFloor == -.infinity)
    }
}
