import ArgumentParser
import Foundation
import NurtureDefinitions
import NurturePersonas
import NurtureSimulator

struct Compare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run two variants of a sequence on the same synthetic prospects and report the difference.",
        discussion: """
            Both variants meet the same prospects with the same random draws (common random numbers), so \
            the difference is measured prospect by prospect, with a 95% interval. --arrivals spreads \
            the prospects' entry over the run as for simulate, the same for both variants.
            """
    )

    @Argument(help: "Variant A: a sequence file in a definitions folder, or a sequence id in --definitions.")
    var a: String

    @Argument(help: "Variant B, likewise.")
    var b: String

    @Option(name: .long, help: ArgumentHelp("The definitions folder for sequence ids.", valueName: "folder"))
    var definitions: String = "sequences"

    @OptionGroup var population: PopulationOptions
    @OptionGroup var arrivals: ArrivalsOption

    @OptionGroup var output: ReportOutput

    func run() async throws {
        var selectionA = try SequenceSelection.parse([a]), selectionB = try SequenceSelection.parse([b])
        selectionA.definitions = definitions
        selectionB.definitions = definitions
        let (definitionsA, sequenceA) = try selectionA.load()
        let (definitionsB, sequenceB) = try selectionB.load()
        var setupA = try population.setup(definitions: definitionsA, sequence: sequenceA.id, definitionsFolder: selectionA.folder)
        try arrivals.apply(to: &setupA)
        var setupB = setupA
        setupB.definitions = definitionsB
        setupB.sequence = sequenceB.id
        let bar = ProgressBar(total: setupA.prospects)
        let comparison = try await Simulation.compare(setupA, setupB, threads: population.workerThreads) { bar.update($0) }
        bar.finish()
        try output.write(comparison, text: comparison.text(nameA: a, nameB: b), html: comparison.html(nameA: a, nameB: b))
    }
}
