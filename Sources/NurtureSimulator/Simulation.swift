import Foundation
import NurtureCore
import NurturePersonas
import Synchronization

/// What to simulate: a sequence from a definition set, a population, how many prospects for how
/// long, and the sales team that will receive the hand-offs.
public struct SimulationSetup: Sendable {
    public var definitions: DefinitionSet
    public var sequence: String
    public var population: Population
    public var prospects: Int
    public var days: Int
    public var seed: UInt64
    /// When the run starts, and every prospect enters the sequence unless `arrivals` spreads them.
    public var start: Date
    public var reps: Int
    /// Hand-offs one rep can follow up within the service level, per business day.
    public var capacityPerRep: Int
    /// When each prospect enters, if not all at the start; set with `arrive(_:)`.
    public private(set) var arrivals: ArrivalSchedule?

    public init(
        definitions: DefinitionSet, sequence: String, population: Population, prospects: Int, days: Int,
        seed: UInt64, start: Date, reps: Int = 5, capacityPerRep: Int = 20
    ) {
        self.definitions = definitions
        self.sequence = sequence
        self.population = population
        self.prospects = prospects
        self.days = days
        self.seed = seed
        self.start = start
        self.reps = reps
        self.capacityPerRep = capacityPerRep
    }

    /// Spreads the prospects' arrivals over the run from `source` (see ``ArrivalSchedule``):
    /// `prospects` becomes the number that arrive before the horizon. A pace stops at the current
    /// `prospects`; a file's dates bring their own counts. Call it once `start` and `days` are set.
    public mutating func arrive(_ source: ArrivalSchedule.Source) {
        let limit = if case .perBusinessDay = source { prospects } else { Int.max }
        let schedule = ArrivalSchedule(
            source, start: start, days: days, limit: limit, businessHours: definitions.lifecycle.businessHours)
        arrivals = schedule
        prospects = schedule.times.count
    }
}

/// The Monte Carlo run: prospects in chunks over every core, each with its own random stream, so
/// the totals are the same whatever the number of threads.
public enum Simulation {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    static let chunkSize = 1024

    /// Runs the setup; `progress` is called with the number of prospects done so far.
    public static func run(
        _ setup: SimulationSetup, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> SimulationStats {
        let empty = try emptyStats(for: setup)
        return await inChunks(
            prospects: setup.prospects, threads: threads, progress: progress,
            worker: { Worker(run: ProspectRun(setup: setup), stats: empty) }, into: empty) { $0.merge($1) }
    }

    /// One worker of `run`: its own run of the engine, and the statistics of its prospects.
    struct Worker: ChunkWorker {
        var run: ProspectRun
        var stats: SimulationStats

        mutating func run(index: Int) { run.run(index: index, into: &stats) }
        var part: SimulationStats { stats }
    }

    /// Prospects `0..<prospects` in chunks over the workers, each made by `worker` in its own task
    /// and running its chunks' prospects one by one; their parts are merged into `total`. Each
    /// prospect has its own random stream, so with a merge that does not depend on order the result
    /// is the same whatever the number of threads.
    static func inChunks<W: ChunkWorker>(
        prospects: Int, threads: Int, progress: (@Sendable (Int) -> Void)?,
        worker make: @escaping @Sendable () -> W, into total: W.Part, merge: (inout W.Part, W.Part) -> Void
    ) async -> W.Part {
        let chunks = (prospects + chunkSize - 1) / chunkSize
        let workers = max(1, min(threads, chunks))
        let done = ProgressCounter()
        return await withTaskGroup(of: W.Part.self) { group in
            for number in 0..<workers {
                group.addTask {
                    var worker = make()
                    for chunk in stride(from: number, to: chunks, by: workers) {
                        let range = (chunk * chunkSize)..<min(prospects, (chunk + 1) * chunkSize)
                        for index in range { worker.run(index: index) }
                        progress?(done.count.add(range.count, ordering: .relaxed).newValue)
                    }
                    return worker.part
                }
            }
            var total = total
            for await part in group { merge(&total, part) }
            return total
        }
    }
}

/// What one worker of a simulation keeps while it runs its share of the prospects.
protocol ChunkWorker: SendableMetatype {
    associatedtype Part: Sendable
    mutating func run(index: Int)
    var part: Part { get }
}

extension Simulation {
    /// Zeroed statistics shaped for a setup, after checking the setup can run.
    static func emptyStats(for setup: SimulationSetup) throws -> SimulationStats {
        guard let sequence = setup.definitions.sequences[setup.sequence] else {
            throw Failure(description: "no sequence '\(setup.sequence)'")
        }
        if let arrivals = setup.arrivals, arrivals.times.isEmpty {
            throw Failure(description: "no prospect arrives within the run's \(setup.days) days (arrivals \(arrivals.summary))")
        }
        if let arrivals = setup.arrivals, arrivals.times.count != setup.prospects {
            throw Failure(description: "the arrivals were spread before the prospects, start or days changed; spread them again")
        }
        guard setup.prospects > 0, setup.days > 0 else { throw Failure(description: "prospects and days must be positive") }
        var stats = SimulationStats(
            days: setup.days, reps: max(1, setup.reps), steps: sequence.steps.count,
            personas: setup.population.personas.count, sequences: setup.definitions.sequences.count)
        if let reps = setup.population.reps {
            try RepAnswers.check(reps, against: setup.definitions)
            stats.sla = SLACounts(
                days: setup.days, grades: setup.definitions.scoring.grades.count, reasons: reps.rejectionReasons.values.count)
        }
        return stats
    }
}

/// Prospects finished so far, shared by the workers.
final class ProgressCounter: Sendable {
    let count = Atomic<Int>(0)
}
