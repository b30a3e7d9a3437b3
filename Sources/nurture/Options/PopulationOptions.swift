import ArgumentParser
import Foundation
import NurtureCore
import NurtureDefinitions
import NurturePersonas
import NurtureSimulator

/// The options every dry-run command shares: who the prospects are, how many, for how long, and
/// the sales team on the receiving end.
struct PopulationOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The persona file (default: personas.yml in the definitions folder, else examples/personas/b2b-saas.yml).",
        valueName: "file"))
    var personas: String?

    @Option(help: ArgumentHelp("How many synthetic prospects.", valueName: "n"))
    var prospects: Int = 10_000

    @Option(help: ArgumentHelp("How many days to run.", valueName: "n"))
    var days: Int = 60

    @Option(help: ArgumentHelp("Random seed; the same seed gives the same report.", valueName: "n"))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("When the prospects enter the sequence (ISO 8601).", valueName: "time"))
    var start: String = "2026-01-05T14:00:00Z"

    @Option(help: ArgumentHelp("Sales reps receiving the hand-offs.", valueName: "n"))
    var reps: Int = 5

    @Option(help: ArgumentHelp(
        "Hand-offs one rep can follow up within the service level per business day.",
        valueName: "n"))
    var capacity: Int = 20

    @Option(help: ArgumentHelp("Worker threads (default: every core). Results do not depend on it.", valueName: "n"))
    var threads: Int?

    func validate() throws {
        try OptionRange.check(prospects, in: OptionRange.prospects, option: "--prospects")
        try OptionRange.check(days, in: OptionRange.days, option: "--days")
        try OptionRange.check(reps, in: OptionRange.reps, option: "--reps")
        try OptionRange.check(capacity, in: OptionRange.capacity, option: "--capacity")
        if let threads { try OptionRange.check(threads, in: OptionRange.threads, option: "--threads") }
    }

    func loadPopulation(definitionsFolder: String) throws -> Population {
        try Self.loadPopulation(personas, definitionsFolder: definitionsFolder)
    }

    /// The persona file `personas`, else the definitions folder's, else the shipped one.
    static func loadPopulation(_ personas: String?, definitionsFolder: String) throws -> Population {
        // A file asked for by name is loaded as it is, so that a wrong path is reported as one.
        let defaults = ["\(definitionsFolder)/\(PersonaLoader.fileName)", "examples/personas/b2b-saas.yml"]
        guard let path = personas ?? defaults.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw ValidationError("no persona file: neither \(defaults.joined(separator: " nor ")) exists; give one with --personas FILE")
        }
        let (population, diagnostics) = PersonaLoader.load(path: path)
        for diagnostic in diagnostics.sorted { Terminal.error(diagnostic.description) }
        guard let population else { throw ExitCode(1) }
        return population
    }

    func setup(definitions: DefinitionSet, sequence: String, definitionsFolder: String = "sequences") throws -> SimulationSetup {
        guard let startDate = Timestamp.parse(start) else {
            throw ValidationError("--start '\(start)' is not an ISO 8601 time such as 2026-01-05T14:00:00Z")
        }
        return SimulationSetup(
            definitions: definitions, sequence: sequence, population: try loadPopulation(definitionsFolder: definitionsFolder),
            prospects: prospects, days: days, seed: seed, start: startDate, reps: reps, capacityPerRep: capacity)
    }

    var workerThreads: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }

    /// Runs with a progress bar on a terminal.
    func run(_ setup: SimulationSetup) async throws -> SimulationStats {
        let bar = ProgressBar(total: setup.prospects)
        defer { bar.finish() }
        return try await Simulation.run(setup, threads: workerThreads) { bar.update($0) }
    }
}
