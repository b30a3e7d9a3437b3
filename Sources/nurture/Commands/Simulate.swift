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

    @Option(help: ArgumentHelp(
        "Spread arrivals over the run: N/day on business days (up to --prospects), or a CSV file of date,count.",
        valueName: "N/day|file"))
    var arrivals: String?

    @Option(help: ArgumentHelp(
        "One run per hand-off score, e.g. threshold=40..120:10: hand-off volume against quality.",
        valueName: "range"))
    var sweep: String?

    func run() async throws {
        let (definitions, sequence) = try selection.load()
        var setup = try population.setup(definitions: definitions, sequence: sequence.id, definitionsFolder: selection.folder)
        if let arrivals { setup.arrive(try Self.arrivals(arrivals, for: setup)) }
        if let sweep {
            return try await runSweep(sweep, setup: setup)
        }
        let stats = try await population.run(setup)
        let report = SimulationReport(stats: stats, setup: setup)
        try output.write(report, text: report.text, html: report.html)
    }

    /// `N/day` as paced enrolment reads it, else the path of a date,count file, its dates checked
    /// against the run's days on the business clock.
    static func arrivals(_ text: String, for setup: SimulationSetup) throws -> ArrivalSchedule.Source {
        if text.hasSuffix("/day") {
            let pace: EnrollmentPace
            do { pace = try EnrollmentPace.parse(pace: text) } catch { throw ValidationError("--arrivals: \(error)") }
            return .perBusinessDay(pace.perDay(count: 0))
        }
        guard FileManager.default.fileExists(atPath: text) else {
            throw ValidationError("--arrivals '\(text)' is neither N/day (e.g. 300/day) nor an existing date,count file")
        }
        let first = CalendarDay(setup.start, in: setup.definitions.lifecycle.businessHours.timeZone)
        let (rows, diagnostics) = ArrivalsFile.load(path: text, days: first...first.adding(days: Int64(setup.days - 1)))
        for diagnostic in diagnostics.sorted { Terminal.error(diagnostic.description) }
        guard !diagnostics.hasErrors else { throw ExitCode(1) }
        return .daily(rows.map { ArrivalSchedule.DailyCount(day: $0.day, count: $0.count) })
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
