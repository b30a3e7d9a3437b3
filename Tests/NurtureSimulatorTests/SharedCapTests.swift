import Foundation
import NurtureCore
import NurtureSimulator
import Testing

/// A prospect the lifecycle puts in a second sequence while the first still runs gets emails from
/// both, and each sequence's frequency cap counts the emails of every sequence, in the dry-run as in
/// the scheduler (whose driver the paired check holds to the same stream).
@Suite("Frequency caps across sequences")
struct SharedCapTests {
    /// The small scenario, where a page visit makes the lead `engaged` and enrolls it in `side`:
    /// three emails a day apart, which its own cap of 3 a week would let through on time. `small`
    /// keeps running for engaged leads, under the same cap.
    static func setup() throws -> SimulationSetup {
        var setup = SimTestKit.smallSetup(prospects: 2000, days: 21, seed: 3)
        var definitions = setup.definitions
        definitions.lifecycle.stages.append(Stage(id: "engaged", name: "Engaged", owner: .marketing))
        definitions.lifecycle.transitions.append(
            StageTransition(from: ["lead"], to: "engaged", trigger: .event(.pageVisit), enroll: "side"))
        var small = try #require(definitions.sequences["small"])
        small.audience = .member(.stage, ["lead", "engaged"], negated: false)
        definitions.sequences["small"] = small
        var side = small
        side.id = "side"
        side.audience = .member(.stage, ["engaged"], negated: false)
        side.thresholds = []
        side.steps = []
        for email in 1...3 {
            let index = side.steps.count
            side.steps.append(Step(id: "side-\(email)", kind: .email(template: "side/email-\(email)"), next: index + 1))
            if email < 3 { side.steps.append(Step(id: "side-wait-\(email)", kind: .wait(.days(1)), next: index + 2)) }
        }
        side.steps[side.steps.count - 1].next = nil
        definitions.sequences["side"] = side
        setup.definitions = definitions
        return setup
    }

    @Test("every email waits for room under its sequence's cap, counting both sequences' emails")
    func capsAreShared() throws {
        let setup = try Self.setup()
        let caps = setup.definitions.sequences.mapValues { $0.frequencyCap! }
        var inBoth = 0, heldBack = 0
        for index in 0..<setup.prospects {
            let trace = try Simulation.trace(setup, prospect: index)
            if Set(trace.sends.map(\.sequence)).count == 2 { inBoth += 1 }
            for (position, send) in trace.sends.enumerated() {
                let cap = try #require(caps[send.sequence])
                let window = send.at.addingTimeInterval(-cap.per.nominalSeconds)
                let before = trace.sends[..<position].filter { $0.at > window }
                #expect(before.count < cap.emails, "prospect \(index): \(send.step) at \(send.at) after \(before.map(\.step))")
            }
            // Alone, `side` sends a day apart inside its window; later means the other sequence's
            // emails filled the cap.
            let side = trace.sends.filter { $0.sequence == "side" }
            for (earlier, later) in zip(side, side.dropFirst()) where later.at.timeIntervalSince(earlier.at) > 86_400 { heldBack += 1 }
        }
        #expect(inBoth >= 300, "\(inBoth) prospects got emails from both sequences")
        #expect(heldBack >= 300, "\(heldBack) of side's emails waited for the other sequence's to leave the cap's week")
    }
}
