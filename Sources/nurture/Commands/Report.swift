import ArgumentParser
import Foundation
import NurtureOperations
import NurtureStore

/// `nurture report loop`: the closed-loop report (docs/loop-report.md).
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports for marketing and sales together.",
        subcommands: [Loop.self])

    struct Loop: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The shared number against its goal, both teams' service levels, what preceded accepted and won deals, and why leads were turned down.")

        @OptionGroup var loop: LoopOptions
        @Option(help: ArgumentHelp("Start of the period (default: 90 days before its end).", valueName: "date"), transform: Instant.parse)
        var since: Date?
        @Option(help: ArgumentHelp("End of the period (default: now).", valueName: "date"), transform: Instant.parse) var until: Date?
        @Option(help: "How revenue is credited: first (touch), last (touch before the hand-off) or linear.")
        var attribution: LoopReport.Attribution = .last
        @OptionGroup var output: ReportOutput

        func validate() throws {
            if let since, let until, since >= until { throw ValidationError("--since must come before --until") }
        }

        func run() throws {
            let (store, definitions) = try loop.open(readOnly: true)
            let now = Date()
            let end = until ?? now
            let start = since ?? end.addingTimeInterval(-90 * 86_400)
            let report = try LoopReport.make(
                store: store, lifecycle: definitions.lifecycle, since: start, until: end, attribution: attribution, now: now)
            try output.write(report, text: report.text + "\n", html: report.html)
        }
    }
}

extension LoopReport.Attribution: ExpressibleByArgument {}
