import ArgumentParser
import Foundation
import NurtureCore
import NurtureDefinitions
import NurtureSimulator

struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Dry-run a sequence on a synthetic population before launch.",
        discussion: """
            Thousands of prospects drawn from behaviour personas go through the real engine on a virtual \
            clock. The report gives the funnel with 95% intervals, time to hand-off, emails per prospect, \
            each step, and the daily hand-off load against sales capacity.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, html
    }

    @OptionGroup var selection: SequenceSelection
    @OptionGroup var population: PopulationOptions

    @Option(help: "text (default), json or html.")
    var format: Format = .text

    @Option(help: "Write the report to this file instead of standard output.")
    var out: String?

    func run() async throws {
        let (definitions, sequence) = try selection.load()
        let setup = try population.setup(definitions: definitions, sequence: sequence.id)
        let stats = try await population.run(setup)
        let report = SimulationReport(stats: stats, setup: setup)
        let rendered: String = switch format {
        case .text: report.text
        case .json: try report.json()
        case .html: report.html
        }
        try Output.write(rendered, to: out)
    }
}
