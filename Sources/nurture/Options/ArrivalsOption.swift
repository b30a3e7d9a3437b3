import ArgumentParser
import Foundation
import NurtureCore
import NurtureDefinitions
import NurtureSimulator

/// `--arrivals`, shared by `simulate` and `compare`: when prospects enter, if not all at `--start`.
struct ArrivalsOption: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Spread arrivals over the run: N/day on business days (up to --prospects), or a CSV file of date,count.",
        valueName: "N/day|file"))
    var arrivals: String?

    /// Spreads `setup`'s prospects as `--arrivals` says; leaves it as it is without the option.
    func apply(to setup: inout SimulationSetup) throws {
        guard let arrivals else { return }
        setup.arrive(try Self.source(arrivals, for: setup))
    }

    /// `N/day` as paced enrolment reads it, else the path of a date,count file, its dates checked
    /// against the run's days on the business clock.
    static func source(_ text: String, for setup: SimulationSetup) throws -> ArrivalSchedule.Source {
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
}
