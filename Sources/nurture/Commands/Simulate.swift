import ArgumentParser
import Foundation
import NurtureCore
import NurtureDefinitions
import NurturePersonas
import NurtureSimulator

struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Dry-run a sequence on a synthetic population before launch.",
        discussion: """
            Thousands of prospects drawn from behaviour personas go through the real engine on a virtual \
            clock. The report gives the funnel with 95% intervals, time to hand-off, emails per prospect, \
            each step, and the daily hand-off load against sales capacity.

            By default every prospect enters at --start. --arrivals N/day spreads them as paced \
            enrolment does, N per business day (the lifecycle's business hours and time zone), until \
            --prospects have arrived or the run ends. --arrivals FILE takes a CSV of date,count \
            (e.g. a webinar's spike, then a trickle): each date's count arrives over that date's \
            business hours, and the file's total replaces --prospects.
            """
    )

    @OptionGroup var selection: SequenceSelection
    @OptionGroup var population: PopulationOptions

    @OptionGroup var output: ReportOutput

    @OptionGroup var arrivals: ArrivalsOption

    @Option(help: ArgumentHelp(
        "One run per hand-off score, e.g. threshold=40..120:10: hand-off volume against quality.",
        valueName: "range"))
    var sweep: String?

    func run() async throws {
        let (definitions, sequence) = try selection.load()
        var setup = try population.setup(definitions: definitions, sequence: sequence.id, definitionsFolder: selection.folder)
        try arrivals.apply(to: &setup)
        if let sweep {
            return try await runSweep(sweep, setup: setup)
        }
        let stats = try await population.run(setup)
        let report = SimulationReport(stats: stats, setup: setup)
        try output.write(report, text: report.text, html: report.html)
    }

    func runSweep(_ text: String, setup: SimulationSetup) async throws {
        guard let values = ThresholdSweep.values(parsing: text) else {
            throw ValidationError("--sweep '\(text)' must look like threshold=40..120:10 (from..to:step)")
        }
        guard setup.definitions.handsOffOnScore(in: setup.sequence) else {
            throw ValidationError("\(setup.sequence) hands off on no 'score >= N' rule, so there is no threshold to sweep")
        }
        let bar = ProgressBar(total: setup.prospects * values.count)
        let result = try await ThresholdSweep.run(setup, thresholds: values, threads: population.workerThreads) { bar.update($0) }
        bar.finish()
        try output.write(result, text: result.text, html: result.html)
    }
}
