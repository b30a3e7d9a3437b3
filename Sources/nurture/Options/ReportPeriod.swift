import ArgumentParser
import Foundation

/// `--since`, `--until`: the period a report covers. Each report says how far back it looks when
/// `--since` is not given.
struct ReportPeriod: ParsableArguments {
    @Option(help: ArgumentHelp("Start of the period (default: the report's usual span before its end).", valueName: "date"), transform: Instant.parse)
    var since: Date?

    @Option(help: ArgumentHelp("End of the period (default: now).", valueName: "date"), transform: Instant.parse)
    var until: Date?

    func validate() throws {
        if let since, let until, since >= until { throw ValidationError("--since must come before --until") }
    }

    /// The period: up to `--until` or `now`, from `--since` or `days` before its end.
    func range(defaultDays days: Double, now: Date) -> (start: Date, end: Date) {
        let end = until ?? now
        return (since ?? end.addingTimeInterval(-days * 86_400), end)
    }
}
