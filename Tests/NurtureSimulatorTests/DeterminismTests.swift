import Foundation
import NurtureCore
import NurtureSimulator
import Testing

/// Every prospect draws from its own random stream, and chunks merge as whole-number sums, so a
/// run depends on its setup and seed only, never on the number of threads.
@Suite("Determinism")
struct DeterminismTests {
    /// 3 chunks of 1,024 prospects and a bit, so 2 and 3 threads really split the work.
    static let prospects = 3 * 1024 + 100

    @Test("same seed: identical stats and JSON with 1, 2 and 3 threads (Core-built scenario)")
    func coreScenarioIsThreadIndependent() async throws {
        let setup = SimTestKit.smallSetup(prospects: Self.prospects)
        let one = try await Simulation.run(setup, threads: 1)
        let two = try await Simulation.run(setup, threads: 2)
        let three = try await Simulation.run(setup, threads: 3)
        #expect(one == two)
        #expect(one == three)
        let json = try SimulationReport(stats: one, setup: setup).json()
        #expect(try SimulationReport(stats: two, setup: setup).json() == json)
        #expect(try SimulationReport(stats: three, setup: setup).json() == json)

        // The run did something worth comparing.
        #expect(one.prospects == Self.prospects)
        #expect(one[.enrolled] == Self.prospects)
        #expect(one[.opened] > 0 && one[.clicked] > 0 && one[.handedOff] > 0 && one[.bounced] > 0)
        #expect(one.machineOpens > 0)
        #expect(one.personaProspects.reduce(0, +) == Self.prospects)
        #expect(one.endings.reduce(0, +) == Self.prospects)
    }

    @Test("same seed: identical stats and JSON on the shipped definitions and personas")
    func shippedScenarioIsThreadIndependent() async throws {
        let setup = try SimTestKit.shippedSetup(prospects: 2 * 1024 + 50, days: 30, seed: 11)
        let one = try await Simulation.run(setup, threads: 1)
        let two = try await Simulation.run(setup, threads: 2)
        let three = try await Simulation.run(setup, threads: 3)
        #expect(one == two)
        #expect(one == three)
        let json = try SimulationReport(stats: one, setup: setup).json()
        #expect(try SimulationReport(stats: three, setup: setup).json() == json)
        #expect(one[.opened] > 0)
    }

    @Test("running the same setup twice gives the same result")
    func repeatedRunsAgree() async throws {
        let setup = SimTestKit.smallSetup(prospects: 1500)
        let first = try await Simulation.run(setup, threads: 2)
        let second = try await Simulation.run(setup, threads: 2)
        #expect(first == second)
    }

    @Test("a different seed meets different prospects")
    func differentSeedDiffers() async throws {
        var setup = SimTestKit.smallSetup(prospects: 1500, seed: 7)
        let a = try await Simulation.run(setup, threads: 2)
        setup.seed = 8
        let b = try await Simulation.run(setup, threads: 2)
        #expect(a != b)
        #expect(a.opens != b.opens || a.clicks != b.clicks || a.funnel != b.funnel)
        #expect(try SimulationReport(stats: a, setup: setup).json() != SimulationReport(stats: b, setup: setup).json())
    }

    @Test("a prospect's random stream depends on seed and index only")
    func prospectStreams() {
        var a = ProspectRandom(seed: 42, index: 5), b = ProspectRandom(seed: 42, index: 5)
        let drawsA = (0..<16).map { _ in a.next() }
        #expect(drawsA == (0..<16).map { _ in b.next() })
        var otherIndex = ProspectRandom(seed: 42, index: 6), otherSeed = ProspectRandom(seed: 43, index: 5)
        #expect((0..<16).map { _ in otherIndex.next() } != drawsA)
        #expect((0..<16).map { _ in otherSeed.next() } != drawsA)
        // Uniform draws stay in [0, 1) and average about 1/2.
        var random = ProspectRandom(seed: 1, index: 0)
        let draws = (0..<10_000).map { _ in random.uniform() }
        #expect(draws.allSatisfy { $0 >= 0 && $0 < 1 })
        let mean = draws.reduce(0, +) / Double(draws.count)
        #expect(abs(mean - 0.5) < 0.015)
    }

    @Test("merging is order-independent")
    func mergeIsCommutative() async throws {
        var setup = SimTestKit.smallSetup(prospects: 600, seed: 3)
        let a = try await Simulation.run(setup, threads: 1)
        setup.seed = 4
        let b = try await Simulation.run(setup, threads: 1)
        var ab = a, ba = b
        ab.merge(b)
        ba.merge(a)
        #expect(ab == ba)
        #expect(ab.prospects == 1200)
    }
}
