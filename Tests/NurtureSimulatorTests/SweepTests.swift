import Foundation
import NurtureCore
import NurtureSimulator
import Synchronization
import Testing

/// The hand-off threshold sweep: parsing `threshold=FROM..TO:STEP`, the runs on the same
/// prospects, and the definitions it rewrites.
@Suite("Threshold sweep")
struct SweepTests {
    // MARK: Parsing

    @Test("threshold=40..120:10 gives the nine values from 40 to 120")
    func parsesRange() throws {
        let values = try #require(ThresholdSweep.values(parsing: "threshold=40..120:10"))
        #expect(values.count == 9)
        #expect(values == [40, 50, 60, 70, 80, 90, 100, 110, 120])
    }

    @Test("the step defaults to 10, fractional steps and single values work")
    func parsesVariants() {
        #expect(ThresholdSweep.values(parsing: "threshold=40..120") == [40, 50, 60, 70, 80, 90, 100, 110, 120])
        #expect(ThresholdSweep.values(parsing: "threshold=1..2:0.5") == [1, 1.5, 2])
        #expect(ThresholdSweep.values(parsing: "threshold=60..60:5") == [60])
        // A range the step does not divide stops at the last value inside it.
        #expect(ThresholdSweep.values(parsing: "threshold=40..65:10") == [40, 50, 60])
        #expect(ThresholdSweep.values(parsing: "threshold=-10..10:10") == [-10, 0, 10])
    }

    @Test("malformed sweeps are refused", arguments: [
        "foo=1..2", "threshold=5..1", "threshold=1..2:0", "threshold=1..2:-1", "threshold", "threshold=",
        "threshold=:", "threshold=::", "threshold=1..2:", "threshold=1..2:3:4", "threshold=1-2", "threshold=a..b",
        "threshold=1...2", "threshold=1..", "threshold=0..inf:1", "threshold=nan..1", "threshold=0..1000:1",
        "score=40..120:10",
    ])
    func refusesMalformed(text: String) {
        #expect(ThresholdSweep.values(parsing: text) == nil)
    }

    // MARK: Running

    @Test("a higher threshold never gives more hand-offs on the same prospects")
    func handOffsFallAsThresholdRises() async throws {
        let setup = SimTestKit.smallSetup(prospects: 1500, days: 10, seed: 5)
        let thresholds: [Double] = [5, 10, 20, 30, 45, 70]
        let sweep = try await ThresholdSweep.run(setup, thresholds: thresholds, threads: 2)
        #expect(sweep.rows.map(\.threshold) == thresholds)
        #expect(sweep.prospects == 1500 && sweep.days == 10 && sweep.seed == 5 && sweep.sequence == "small")
        let counts = sweep.rows.map(\.handOffs.count)
        for (lower, higher) in zip(counts, counts.dropFirst()) {
            #expect(lower >= higher, "hand-offs by threshold: \(counts)")
        }
        #expect(counts.first! > counts.last!, "the sweep should move the number of hand-offs: \(counts)")
        #expect(counts.first! > 0)
        // Every row sees the same enrolled prospects.
        #expect(Set(sweep.rows.map(\.handOffs.total)).count == 1)

        // Each row is exactly the run of the rewritten definitions.
        var variant = setup
        variant.definitions = setup.definitions.withHandOffScore(20, in: "small")
        let stats = try await Simulation.run(variant, threads: 1)
        #expect(sweep.rows[2].handOffs.count == stats[.handedOff])
        #expect(sweep.rows[2].handOffs == SimulationReport(stats: stats, setup: variant)[.handedOff])

        let text = sweep.text
        #expect(text.contains("Hand-off threshold sweep for small"))
        let json = try ReportJSON.encode(sweep)
        #expect(json.contains("\"hand_offs\""))
    }

    @Test("sweep progress counts every prospect of every run")
    func progressCoversAllRuns() async throws {
        let setup = SimTestKit.smallSetup(prospects: 300, days: 6)
        final class Highest: Sendable { let value = Mutex(0) }
        let highest = Highest()
        _ = try await ThresholdSweep.run(setup, thresholds: [10, 20, 30], threads: 1) { done in
            highest.value.withLock { $0 = max($0, done) }
        }
        #expect(highest.value.withLock { $0 } == 900)
    }

    // MARK: Rewriting the definitions

    @Test("withHandOffScore moves the hand-off threshold and the lifecycle's move into the hand-off stage only")
    func rewritesOnlyHandOffRules() throws {
        let original = try SimTestKit.shippedDefinitions()
        let moved = original.withHandOffScore(55, in: "post-webinar")
        let handOff = try ConditionParser.parse("score >= 55 and fit in [A, B]")

        // The sequence's hand-off threshold moves; its notify threshold does not.
        let before = try #require(original.sequences["post-webinar"])
        let after = try #require(moved.sequences["post-webinar"])
        #expect(after.thresholds.count == before.thresholds.count)
        for (old, new) in zip(before.thresholds, after.thresholds) {
            #expect(new.action == old.action)
            if case .handOff = old.action {
                #expect(old.condition == (try ConditionParser.parse("score >= 80 and fit in [A, B]")))
                #expect(new.condition == handOff)
            } else {
                #expect(new.condition == old.condition)
            }
        }
        // Steps (including the final branch on `score >= 60`) are untouched.
        #expect(after.steps == before.steps)
        #expect(after.exits == before.exits && after.audience == before.audience)

        // Lifecycle: the automatic move into mql changes; every other transition stays.
        #expect(moved.lifecycle.transitions.count == original.lifecycle.transitions.count)
        var rewritten = 0
        for (old, new) in zip(original.lifecycle.transitions, moved.lifecycle.transitions) {
            if old.to == original.lifecycle.handoffStage, case .condition = old.trigger {
                #expect(new.trigger == .condition(handOff))
                #expect(new.from == old.from && new.to == old.to && new.enroll == old.enroll)
                rewritten += 1
            } else {
                #expect(new == old)
            }
        }
        #expect(rewritten == 1)

        // Other sequences keep their thresholds, scoring is the same.
        for (id, sequence) in original.sequences where id != "post-webinar" {
            let other = try #require(moved.sequences[id])
            #expect(other.thresholds == sequence.thresholds, "\(id)")
            #expect(other.steps == sequence.steps, "\(id)")
        }
        #expect(moved.scoring.engagement == original.scoring.engagement)
        #expect(moved.scoring.fitRules == original.scoring.fitRules)
        #expect(moved.templates == original.templates)
    }

    @Test("withHandOffScore on the Core-built scenario")
    func rewritesCoreScenario() {
        let original = SimTestKit.smallDefinitions(handOff: 30)
        let moved = original.withHandOffScore(42, in: "small")
        let expected = SimTestKit.smallDefinitions(handOff: 42)
        #expect(moved.sequences["small"]!.thresholds == expected.sequences["small"]!.thresholds)
        #expect(moved.lifecycle.transitions == expected.lifecycle.transitions)
        // The notify-rep threshold at 15 is not a hand-off and stays.
        #expect(moved.sequences["small"]!.thresholds[0].condition == .metric(.score, .greaterOrEqual, 15))
        // An unknown sequence leaves the sequences alone (the lifecycle still moves).
        let elsewhere = original.withHandOffScore(42, in: "nope")
        #expect(elsewhere.sequences["small"]!.thresholds == original.sequences["small"]!.thresholds)
        #expect(elsewhere.lifecycle.transitions == expected.lifecycle.transitions)
    }

    @Test("handsOffOnScore tells whether there is a threshold to sweep")
    func handsOffOnScore() throws {
        #expect(SimTestKit.smallDefinitions().handsOffOnScore(in: "small"))
        let shipped = try SimTestKit.shippedDefinitions()
        #expect(shipped.handsOffOnScore(in: "post-webinar"))
        var noScore = SimTestKit.smallDefinitions()
        noScore.lifecycle.transitions = noScore.lifecycle.transitions.filter { $0.to != "mql" }
        noScore.sequences["small"]!.thresholds = [
            Threshold(condition: .member(.fit, ["A"], negated: false), action: .handOff(reason: "fit")),
        ]
        #expect(!noScore.handsOffOnScore(in: "small"))
    }
}
