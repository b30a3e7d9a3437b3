import ArgumentParser
import Foundation
import NurtureBasics
import NurtureCore
import NurtureSimulator

/// Prints the simulator's throughput and peak memory on the standard scenario. Build with
/// `-c release`; figures from a debug build mean little.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nurture-bench",
        abstract: "Benchmarks: the simulator on the standard scenario, SMTP delivery to a local relay, the store and the scheduler.",
        subcommands: [SimulatorBench.self, SMTPBench.self, SchedulerBench.self, ClaimsBench.self, BigStoreBench.self, WebStoreBench.self, TrackingWritesBench.self, HistoryCommand.self, CalibrationBench.self, RoutingBench.self],
        defaultSubcommand: SimulatorBench.self
    )
}

struct SimulatorBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulator throughput (prospects/s, events/s) and peak memory on the standard scenario."
    )

    @Option(help: "Prospects in the run.")
    var prospects: Int = 1_000_000

    @Option(help: "Days simulated.")
    var days: Int = 30

    @Option(help: "Worker threads (default: every core).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func run() async throws {
        let setup = SimulationSetup(
            definitions: StandardScenario.definitions, sequence: "standard", population: StandardScenario.population,
            prospects: prospects, days: days, seed: 7, start: Date(timeIntervalSince1970: 1_767_621_600),
            reps: 10, capacityPerRep: 25)
        let clock = ContinuousClock()
        var stats = SimulationStats(days: 1, reps: 1, steps: 0, personas: 0)
        let cpuBefore = ProcessCPU.seconds
        let elapsed = try await clock.measure {
            stats = try await Simulation.run(setup, threads: threads)
        }
        let seconds = elapsed.seconds
        let cpu = ProcessCPU.seconds - cpuBefore
        let peakMB = PeakMemory.megabytes
        print("scenario        6 emails, 3-day waits, Tue-Thu 09:00-16:00 send window, frequency cap, hand-off at 60")
        print("prospects       \(stats.prospects) in \(String(format: "%.3f", seconds)) s on \(threads) threads")
        print("prospects/s     \(Int(Double(stats.prospects) / seconds))")
        // CPU per prospect moves with the machine's speed, not with how many threads got a core.
        print("cpu/prospect    \(String(format: "%.2f", cpu * 1e6 / Double(max(1, stats.prospects)))) µs")
        print("events/s        \(Int(Double(stats.events) / seconds)) (\(stats.events) prospect events: opens, clicks, replies, visits...)")
        print("engine steps/s  \(Int(Double(stats.engineSteps) / seconds)) (\(stats.engineSteps) calls: events and wake-ups;"
            + " each profile enrolls once)")
        print("emails          \(stats.emails) (\(String(format: "%.2f", Double(stats.emails) / Double(max(1, stats.prospects)))) per prospect)")
        print("hand-offs       \(stats[.handedOff])")
        print("peak memory     \(String(format: "%.1f", peakMB)) MB")
        print("result digest   \(String(ResultDigest.of(stats), radix: 16)) (same setup, same digest: a faster build must not change it)")
    }
}

/// FNV-1a over every counter of a run's outcome, in a fixed order, so that two builds can be
/// checked to simulate exactly the same thing. Engine calls are left out: how many calls the engine
/// needs is its own business, not part of what is simulated.
enum ResultDigest {
    static func of(_ stats: SimulationStats) -> UInt64 {
        var counters = [stats.prospects, stats.emails, stats.opens, stats.machineOpens, stats.clicks, stats.events]
        counters += stats.funnel + stats.endings + stats.emailsPerProspect + stats.hoursToHandOff
        counters += stats.handOffsPerDay + stats.handOffsPerRepDay + stats.personaProspects + stats.personaHandOffs
        for step in stats.steps { counters += [step.sent, step.opened, step.clicked, step.exits] }
        var hash = FNV1a()
        for counter in counters { withUnsafeBytes(of: Int64(counter).littleEndian) { hash.add($0) } }
        return hash.value
    }
}

enum PeakMemory {
    /// The process's peak resident set size.
    static var megabytes: Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
