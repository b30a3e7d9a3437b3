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
            abstract: "The shared number against its goal, both teams' service levels, what preceded accepted and won deals, and why leads were turned down.",
            discussion: "The period is the 90 days before its end unless --since says otherwise.")

        @OptionGroup var loop: LoopOptions
        @OptionGroup var period: ReportPeriod
        @Option(help: "How revenue is credited: first (touch), last (touch before the hand-off) or linear.")
        var attribution: LoopReport.Attribution = .last
        @OptionGroup var output: ReportOutput

        func run() throws {
            let (store, definitions) = try loop.open(readOnly: true)
            let now = Date()
            let (start, end) = period.range(defaultDays: 90, now: now)
            let report = try LoopReport.make(
                store: store, lifecycle: definitions.lifecycle, since: start, until: end, attribution: attribution, now: now)
            try output.write(report, text: report.text + "\n", html: report.html)
        }
    }
}

extension LoopReport.Attribution: ExpressibleByArgument {}
