import ArgumentParser
import Foundation
import NurtureCore
import NurtureDefinitions
import NurtureSimulator

struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Replay recorded behaviour through a new or changed sequence and compare with what really happened.",
        discussion: """
            The events file holds each lead's recorded events (a 'lead' column names the lead) and, for \
            comparison, what the program of the time did: 'email_sent' and 'handed_off' rows.
            """
    )

    @OptionGroup var selection: SequenceSelection

    @Option(help: ArgumentHelp(
        "The recorded leads, as CSV (id, email, time_zone, stage, owner_name, owner_email, attributes...).",
        valueName: "file"))
    var leads: String

    @Option(help: ArgumentHelp(
        "The recorded events and outcomes, as CSV or JSON Lines with a 'lead' column.",
        valueName: "file"))
    var events: String

    @Option(help: ArgumentHelp(
        "Enroll every lead at this time (ISO 8601) instead of at its first recorded send.",
        valueName: "time"))
    var start: String?

    @Option(help: ArgumentHelp("How many days to follow each lead.", valueName: "n"))
    var days: Int = 90

    @OptionGroup var output: ReportOutput

    func validate() throws {
        try OptionRange.check(days, in: OptionRange.days, option: "--days")
    }

    func run() throws {
        let (definitions, sequence) = try selection.load()
        let (leadList, leadDiagnostics) = LeadTable.load(path: leads)
        let recording = EventLog.loadRecording(path: events)
        for diagnostic in (leadDiagnostics.all + recording.diagnostics.all) { Terminal.error(diagnostic.description) }
        guard !leadList.isEmpty else { throw ValidationError("no usable leads in \(leads)") }
        guard !recording.rows.isEmpty || !recording.outcomes.isEmpty else {
            throw ValidationError("no usable events in \(events): nothing recorded to replay or compare with")
        }
        let startDate = try start.map { text in
            guard let date = Timestamp.parse(text) else { throw ValidationError("--start '\(text)' is not an ISO 8601 time") }
            return date
        }

        let facts = recording.rows.map { Backtest.RecordedFact(reference: $0.lead, line: $0.line, at: $0.at, kind: .event($0.event)) }
            + recording.outcomes.map { outcome in
                Backtest.RecordedFact(
                    reference: outcome.lead, line: outcome.line, at: outcome.at, kind: outcome.kind == .emailSent ? .emailSent : .handedOff)
            }
        let (histories, unmatched) = Backtest.histories(leads: leadList, facts: facts)
        for fact in unmatched.sorted(by: { $0.line < $1.line }) {
            Terminal.error("\(events):\(fact.line):1: warning: no lead '\(fact.reference ?? "")' in \(leads); row ignored")
        }
        let result = Backtest.run(definitions: definitions, sequence: sequence.id, histories: histories, start: startDate, days: days)
        try output.write(result, text: result.text, html: result.html)
    }
}
