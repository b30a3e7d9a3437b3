import Foundation
import PropertyBased
import Testing
@testable import NurtureCore

/// Keeping only some kinds of effect changes nothing but the list of effects.
@Suite("Effect filter")
struct EffectFilterTests {
    @Test func keepingSomeKindsGivesThoseEffectsAndTheSameStates() async {
        let engine = Engine(EnginePropertyTests.definitions)
        await propertyCheck(count: 100, input: EnginePropertyTests.scenarios, Gen.int(in: 0...0x1FFF)) { scenario, mask in
            let kept = EffectKinds(rawValue: UInt16(mask))
            let lead = scenario.lead
            let (calls, _) = EnginePropertyTests.drive(engine, scenario)
            var state = engine.start(lead, at: scenario.start)
            var effects: [Effect] = []
            for call in calls {
                engine.step(&state, lead: lead, input: call.input, at: call.at, into: &effects, keeping: kept)
                #expect(effects == call.effects.filter { kept.contains($0.kind) }, "\(call.input) at \(call.at)")
                #expect(state == call.after)
            }
        }
    }

    @Test func everyEffectHasOneKindAndAllHoldsThemAll() {
        let kinds: [EffectKinds] = [
            .enrolled, .enrollmentRefused, .send, .wake, .scoreChanged, .stageChanged, .handOff, .notifyRep, .task,
            .exited, .completed, .suppressed, .actionRefused,
        ]
        #expect(kinds.reduce(EffectKinds()) { $0.union($1) } == .all)
        #expect(Set(kinds.map(\.rawValue)).count == kinds.count)
        #expect(kinds.allSatisfy { $0.rawValue.nonzeroBitCount == 1 })
    }
}
