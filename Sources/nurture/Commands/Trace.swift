import ArgumentParser
import Foundation
import NurturePresentation
import NurtureCore
import NurtureDefinitions

struct Trace: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Walk one lead through a sequence on a virtual clock and print the timeline.",
        discussion: """
            Each send is shown at its time in the lead's zone, with the score after each event, stage \
            changes, the hand-off and why. Events come from a CSV (at,type,category,step) or JSON Lines file.
            """
    )

    @OptionGroup var selection: SequenceSelection

    @Option(help: ArgumentHelp("The lead, as a YAML or JSON file.", valueName: "file"))
    var lead: String

    @Option(help: ArgumentHelp("The lead's events, as CSV or JSON Lines.", valueName: "file"))
    var events: String?

    @Option(help: ArgumentHelp(
        "When the lead enters the sequence (ISO 8601); defaults to the first event's time.",
        valueName: "time"))
    var start: String?

    @Option(help: ArgumentHelp("How many days to follow the lead.", valueName: "n"))
    var days: Int = 60

    func validate() throws {
        try OptionRange.check(days, in: OptionRange.days, option: "--days")
    }

    func run() throws {
        let (definitions, sequence) = try selection.load()
        let (loadedLead, leadDiagnostics) = LeadFile.load(path: lead)
        for diagnostic in leadDiagnostics.sorted { Terminal.error(diagnostic.description) }
        guard let loadedLead else { throw ExitCode(1) }

        var rows: [EventLog.Row] = []
        if let events {
            let log = EventLog.load(path: events)
            for diagnostic in log.diagnostics.sorted { Terminal.error(diagnostic.description) }
            // A file that could not be read at all: a trace without the events asked for would mislead.
            if log.diagnostics.errors.contains(where: { $0.line == 0 }) { throw ExitCode(1) }
            // A log may hold several leads' events; keep this lead's.
            rows = log.rows.filter { $0.lead == nil || $0.lead == loadedLead.id || $0.lead == loadedLead.email }
        }
        let startDate: Date
        if let start {
            guard let parsed = Timestamp.parse(start) else {
                throw ValidationError("--start '\(start)' is not an ISO 8601 time such as 2026-03-02T09:00:00-05:00")
            }
            startDate = parsed
        } else if let first = rows.map(\.at).min() {
            startDate = first
        } else {
            throw ValidationError("give --start, or an events file to take the start from")
        }
        guard days > 0 else { throw ValidationError("--days must be at least 1") }

        let engine = Engine(definitions)
        let initial = engine.start(loadedLead, at: startDate)
        var state = initial
        let inputs: [(at: Date, input: Input)] = [(startDate, .enroll(sequence: sequence.id))]
            + rows.map { ($0.at, .event($0.event)) }
        let until = startDate.addingTimeInterval(Double(days) * 86_400)
        let entries = Replay(engine: engine).run(lead: loadedLead, state: &state, inputs: inputs, until: until)
        let report = TimelineReport(lead: loadedLead, sequence: sequence, definitions: definitions, entries: entries, start: startDate, initial: initial)
        print(report.text, terminator: "")
    }
}
