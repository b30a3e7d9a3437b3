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

        var byLead: [String: Backtest.History] = [:]
        for lead in leadList {
            byLead[lead.id] = Backtest.History(lead: lead, events: [], recordedSends: [], recordedHandOff: nil)
        }
        let emails = Dictionary(leadList.map { ($0.email, $0.id) }, uniquingKeysWith: { first, _ in first })
        func id(_ reference: String?, line: Int) -> String? {
            guard let reference, let id = byLead[reference] != nil ? reference : emails[reference] else {
                Terminal.error("\(events):\(line):1: warning: no lead '\(reference ?? "")' in \(leads); row ignored")
                return nil
            }
            return id
        }
        for row in recording.rows {
            guard let lead = id(row.lead, line: row.line) else { continue }
            byLead[lead]?.events.append((row.at, row.event))
        }
        for outcome in recording.outcomes {
            guard let lead = id(outcome.lead, line: outcome.line) else { continue }
            switch outcome.kind {
            case .emailSent: byLead[lead]?.recordedSends.append(outcome.at)
            case .handedOff:
                let earliest = min(outcome.at, byLead[lead]?.recordedHandOff ?? outcome.at)
                byLead[lead]?.recordedHandOff = earliest
            }
        }
        let histories = leadList.compactMap { byLead[$0.id] }
        let result = Backtest.run(definitions: definitions, sequence: sequence.id, histories: histories, start: startDate, days: days)
        try output.write(result, text: result.text, html: result.html)
    }
}
