import Foundation
import NurtureCore
@testable import NurtureSimulator
import Testing

/// Comparing two variants on the same synthetic prospects (common random numbers).
@Suite("Variant comparison")
struct CompareTests {
    static func difference(_ comparison: VariantComparison, _ measure: String) throws -> VariantComparison.Difference {
        try #require(comparison.differences.first { $0.measure == measure })
    }

    @Test("a setup compared with itself: zero differences, zero-width intervals, identical reports")
    func selfComparison() async throws {
        let setup = SimTestKit.smallSetup(prospects: 2100, days: 10)
        let comparison = try await Simulation.compare(setup, setup, threads: 2)
        #expect(comparison.differences.map(\.measure) == [
            "opened_rate", "clicked_rate", "replied_rate", "unsubscribed_rate", "bounced_rate", "handed_off_rate",
            "emails_per_prospect",
        ])
        for row in comparison.differences {
            #expect(row.difference == 0, "\(row.measure)")
            #expect(row.low == 0 && row.high == 0, "\(row.measure)")
            #expect(row.a == row.b, "\(row.measure)")
            #expect(!row.isClear, "\(row.measure)")
        }
        #expect(try comparison.a.json() == comparison.b.json())
        // The measures are not trivially zero: the run did something.
        #expect(try Self.difference(comparison, "opened_rate").a > 0)
        #expect(try Self.difference(comparison, "emails_per_prospect").a > 1)

        // Each side is the plain run of its setup.
        let alone = try await Simulation.run(setup, threads: 1)
        #expect(try comparison.a.json() == SimulationReport(stats: alone, setup: setup).json())
        #expect(comparison.text(nameA: "A", nameB: "B").contains("no clear difference"))

        // Every prospect is handed off at the same minute in both.
        let timing = comparison.handOffTiming
        #expect(timing.both == comparison.a[.handedOff].count && timing.both > 0)
        #expect(timing.same == timing.both && timing.sooner == 0 && timing.later == 0)
        #expect(timing.onlyA == 0 && timing.onlyB == 0)
        #expect(timing.days.a == timing.days.b && timing.days.difference == 0)
        #expect(timing.days.low == 0 && timing.days.high == 0)
    }

    @Test("a lower hand-off threshold in B: clearly more hand-offs")
    func lowerThresholdHandsOffMore() async throws {
        let a = SimTestKit.smallSetup(prospects: 2100, days: 10, handOff: 35)
        var b = a
        b.definitions = a.definitions.withHandOffScore(15, in: a.sequence)
        let comparison = try await Simulation.compare(a, b, threads: 2)
        let handOff = try Self.difference(comparison, "handed_off_rate")
        #expect(handOff.difference > 0.02)
        #expect(handOff.low > 0, "interval \(handOff.low)...\(handOff.high) should exclude zero")
        #expect(handOff.isClear)
        #expect(handOff.low <= handOff.difference && handOff.difference <= handOff.high)
        #expect(abs(handOff.difference - (handOff.b - handOff.a)) < 1e-12)
        // The rates are those of each side's own report.
        #expect(abs(handOff.a - comparison.a[.handedOff].rate) < 1e-12)
        #expect(abs(handOff.b - comparison.b[.handedOff].rate) < 1e-12)
        // On the same prospects a lower threshold only adds hand-offs, and hands off sooner, so
        // fewer emails go out.
        #expect(comparison.b[.handedOff].count > comparison.a[.handedOff].count)
        #expect(try Self.difference(comparison, "emails_per_prospect").difference <= 0)
        // A bounce is drawn at the first email; B can only hand off some prospects (page visits
        // before their window opens) before they get one, never add a bounce.
        #expect(try Self.difference(comparison, "bounced_rate").difference <= 0)
        #expect(comparison.b[.bounced].count <= comparison.a[.bounced].count)
        #expect(comparison.text(nameA: "35", nameB: "15").contains("B higher"))

        // Paired prospect by prospect: B hands off every prospect A does, never later.
        let timing = comparison.handOffTiming
        #expect(timing.both == comparison.a[.handedOff].count)
        #expect(timing.onlyA == 0 && timing.later == 0)
        #expect(timing.onlyB == comparison.b[.handedOff].count - comparison.a[.handedOff].count)
        #expect(timing.sooner > 0 && timing.sooner + timing.same == timing.both)
        #expect(timing.days.isClear && timing.days.high < 0 && timing.days.b < timing.days.a)
        #expect(abs(timing.days.difference - (timing.days.b - timing.days.a)) < 1e-9)
        #expect(comparison.text(nameA: "35", nameB: "15").contains("days to hand-off"))
        #expect(comparison.text(nameA: "35", nameB: "15").contains("B sooner"))

        // Paired intervals are much tighter than two independent samples would give.
        let independentHalf = 1.96 * (handOff.a * (1 - handOff.a) / 2100 + handOff.b * (1 - handOff.b) / 2100).squareRoot()
        #expect(handOff.high - handOff.difference < independentHalf)
    }

    @Test("hand-off timing pairs each prospect with itself, in whole minutes")
    func handOffTimingByHand() {
        func outcome(_ minutes: Int?) -> ProspectOutcome {
            var outcome = ProspectOutcome()
            outcome.minutesToHandOff = minutes
            return outcome
        }
        var first = VariantComparison.HandOffTiming.Accumulator(), second = first
        // Minutes: B 1 day sooner, B 2 days sooner, the same, B 1 day later; then one each only in A and only in B.
        for (a, b) in [(2880, 1440), (4320, 1440), (1440, 1440)] { first.add(outcome(a), outcome(b)) }
        for (a, b) in [(1440, 2880), (100, nil), (nil, 200), (nil, nil)] as [(Int?, Int?)] { second.add(outcome(a), outcome(b)) }
        first.merge(second)
        let timing = first.timing
        #expect((timing.both, timing.sooner, timing.later, timing.same) == (4, 2, 1, 1))
        #expect((timing.onlyA, timing.onlyB) == (1, 1))
        #expect(timing.days.measure == "days_to_hand_off")
        #expect(timing.days.a == 1.75 && timing.days.b == 1.25)
        // Differences -1, -2, 0, +1 days: mean -0.5, sample variance 5/3.
        #expect(timing.days.difference == -0.5)
        let half = 1.959964 * (5.0 / 3 / 4).squareRoot()
        #expect(abs(timing.days.low - (-0.5 - half)) < 1e-12 && abs(timing.days.high - (-0.5 + half)) < 1e-12)
        #expect(!timing.days.isClear)
        #expect(timing.text.contains("paired over the 4 prospects handed off in both (1 only in A, 1 only in B)"))
        #expect(timing.text.contains("B hands off 2 of them sooner, 1 later and 1 in the same minute"))
        #expect(VariantComparison.HandOffTiming.Accumulator().timing.text.hasPrefix("No prospect is handed off in both"))
    }

    @Test("every key of the comparison's JSON is documented")
    func documentsEveryJSONKey() async throws {
        let setup = SimTestKit.smallSetup(prospects: 300, days: 10)
        let keys = try SimTestKit.jsonKeys(ReportJSON.encode(try await Simulation.compare(setup, setup, threads: 2)))
        let section = try #require(try SimTestKit.reportDocs().components(separatedBy: "## Variant comparison").last)
        #expect(keys.contains("hand_off_timing"))
        for key in keys.subtracting(["a", "b"]).sorted() where !section.contains("`\(key)`") {
            // The reports under `a` and `b` are documented above the section.
            #expect(try SimTestKit.reportDocs().contains("`\(key)`"), "docs/simulation-report.md does not mention `\(key)`")
        }
        for key in ["differences", "hand_off_timing", "both", "only_a", "only_b", "sooner", "later", "same", "days"] {
            #expect(section.contains("`\(key)`"), "the comparison section of docs/simulation-report.md does not mention `\(key)`")
        }
    }

    @Test("the comparison does not depend on the number of threads")
    func threadIndependent() async throws {
        let a = SimTestKit.smallSetup(prospects: 2100, days: 8, handOff: 35)
        var b = a
        b.definitions = a.definitions.withHandOffScore(20, in: a.sequence)
        let one = try await Simulation.compare(a, b, threads: 1)
        let three = try await Simulation.compare(a, b, threads: 3)
        #expect(try ReportJSON.encode(one) == ReportJSON.encode(three))
    }

    @Test("variants must share prospects, days and seed")
    func mismatchThrows() async throws {
        let a = SimTestKit.smallSetup(prospects: 200, days: 5, seed: 1)
        var fewer = a
        fewer.prospects = 199
        await #expect(throws: Simulation.Failure.self) { try await Simulation.compare(a, fewer, threads: 1) }
        var reseeded = a
        reseeded.seed = 2
        await #expect(throws: Simulation.Failure.self) { try await Simulation.compare(a, reseeded, threads: 1) }
        var longer = a
        longer.days = 6
        await #expect(throws: Simulation.Failure.self) { try await Simulation.compare(a, longer, threads: 1) }
        var unknown = a
        unknown.sequence = "no-such-sequence"
        await #expect(throws: Simulation.Failure.self) { try await Simulation.compare(a, unknown, threads: 1) }
    }

    @Test("a run refuses an unknown sequence or an empty run")
    func runRefusesBadSetups() async throws {
        var setup = SimTestKit.smallSetup(prospects: 10, days: 5)
        setup.sequence = "nope"
        await #expect(throws: Simulation.Failure.self) { try await Simulation.run(setup, threads: 1) }
        setup = SimTestKit.smallSetup(prospects: 0, days: 5)
        await #expect(throws: Simulation.Failure.self) { try await Simulation.run(setup, threads: 1) }
        setup = SimTestKit.smallSetup(prospects: 10, days: 0)
        await #expect(throws: Simulation.Failure.self) { try await Simulation.run(setup, threads: 1) }
    }
}
