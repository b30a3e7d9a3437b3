import Foundation
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
                    withUnsafePointer(to: lead) { lead in
                        withUnsafeMutablePointer(to: &state) { state in
                            withUnsafeMutablePointer(to: &effects) { effects in
                                let pass = EnginePass(
                                    engine: engine, lead: lead, now: t0.plus(days: 3), state: state, effects: effects,
                                    wanted: .all)
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
        }
    }
}
