import ArgumentParser
import Foundation
import NurtureBasics
import NurtureCore
import NurtureDefinitions
import NurturePersonas
import NurtureSimulator

struct Calibrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit a persona file to recorded history, and check it on a held-out period.",
        discussion: """
            --events is a recorded history as 'nurture export' writes it (at,type,category,step,lead with \
            email_sent and handed_off rows); machine opens (category 'machine') are kept out of the fit. \
            --outcomes (as export writes it) adds acceptance by score band and grade, the threshold, and the \
            persona file's reps: section (acceptance by grade, business hours to answer and to first touch, \
            rejection reasons), counted in the business hours of --definitions' lifecycle.yml. \
            The starting persona file gives the number of personas, their ids and every field not fitted. \
            See docs/calibration.md.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(help: ArgumentHelp("The recorded history (CSV or JSON Lines).", valueName: "file"))
    var events: String

    @Option(help: ArgumentHelp("The hand-offs and their answers, as 'nurture export --outcomes' writes them.", valueName: "file"))
    var outcomes: String?

    @Option(help: ArgumentHelp(
        "The recorded leads, as CSV (id, email...): only their rows are fitted, and rows of other leads are reported.",
        valueName: "file"))
    var leads: String?

    @Option(help: ArgumentHelp(
        "The starting persona file (default: personas.yml in the definitions folder, else examples/personas/b2b-saas.yml).",
        valueName: "file"))
    var personas: String?

    @Option(help: ArgumentHelp("Write the fitted persona file here.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp(
        "Fit on the leads whose first send is before this day (ISO 8601), and dry-run the ones after it.",
        valueName: "date"))
    var holdoutAfter: String?

    @Option(help: ArgumentHelp("How many days each held-out lead is followed from its first send.", valueName: "n"))
    var holdoutDays: Int = 30

    @Option(help: ArgumentHelp("The sequence the held-out leads were in, for the dry-run.", valueName: "id"))
    var sequence: String?

    @Option(help: ArgumentHelp("The definitions folder (lifecycle.yml with its volume goal, sequences).", valueName: "folder"))
    var definitions: String = "sequences"

    @Option(help: ArgumentHelp("The acceptance rate the threshold must keep, e.g. 90%.", valueName: "rate"))
    var acceptance: String = "90%"

    @Option(help: ArgumentHelp("Random seed of the dry-run.", valueName: "n"))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Worker threads for the dry-run (default: every core).", valueName: "n"))
    var threads: Int?

    @Option(help: "text or json.")
    var format: Format = .text

    func validate() throws {
        _ = try acceptanceRate()
        try OptionRange.check(holdoutDays, in: OptionRange.days, option: "--holdout-days")
        if let threads { try OptionRange.check(threads, in: OptionRange.threads, option: "--threads") }
        if holdoutAfter != nil, sequence == nil {
            throw ValidationError("--holdout-after needs --sequence: the sequence the held-out leads were in, for the dry-run")
        }
    }

    /// `90%` or `0.9`, strictly between 0 and 1 inclusive.
    func acceptanceRate() throws -> Double {
        let text = acceptance.hasSuffix("%") ? String(acceptance.dropLast()) : acceptance
        guard let value = Double(text), value.isFinite else {
            throw ValidationError("--acceptance '\(acceptance)' is not a rate; write 90% or 0.9")
        }
        let rate = acceptance.hasSuffix("%") ? value / 100 : value
        guard (0...1).contains(rate) else { throw ValidationError("--acceptance must be between 0% and 100%") }
        return rate
    }

    func run() async throws {
        let cutoff = try holdoutAfter.map { text in
            guard let date = Timestamp.parse(text) ?? Timestamp.parse(text + "T00:00:00Z") else {
                throw ValidationError("--holdout-after '\(text)' is not a date; write 2026-03-01 or an ISO 8601 time")
            }
            return date
        }
        let start = try startingPopulation()
        let recorded = try loadEvents()
        let answered = try loadOutcomes()
        let hasLifecycle = FileManager.default.fileExists(atPath: "\(definitions)/\(DefinitionLoader.lifecycleFile)")
        let definitionSet = cutoff != nil || (hasLifecycle && !answered.isEmpty) ? try DefinitionsFolder.load(definitions).0 : nil
        if !answered.isEmpty, definitionSet == nil {
            Terminal.error("\(definitions): warning: no \(DefinitionLoader.lifecycleFile), so rep times are counted in elapsed hours, not business hours")
        }
        let volume = definitionSet?.lifecycle.volumeGoal.map { (handOffs: $0.handOffs, perDays: $0.per == .week ? 7 : 30) }

        var report: CalibrationReport
        do {
            report = try Calibration.fit(
                events: recorded, outcomes: answered, start: start, until: cutoff, acceptanceTarget: try acceptanceRate(), volumeGoal: volume,
                businessHours: definitionSet?.lifecycle.businessHours ?? .always)
            if let cutoff, let definitionSet, let sequence {
                guard definitionSet.sequences[sequence] != nil else {
                    throw ValidationError("no sequence '\(sequence)' in \(definitions); the sequences are: \(definitionSet.sequences.keys.sorted().joined(separator: ", "))")
                }
                let template = SimulationSetup(
                    definitions: definitionSet, sequence: sequence, population: report.fitted, prospects: 1, days: holdoutDays,
                    seed: seed, start: cutoff)
                report.holdout = try await HoldoutCheck.run(
                    events: recorded, after: cutoff, days: holdoutDays, population: report.fitted, setup: template,
                    threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
            }
        } catch let failure as Calibration.Failure {
            throw ValidationError(failure.description)
        } catch let failure as HoldoutCheck.Failure {
            throw ValidationError(failure.description)
        }
        if let output {
            let header = [
                "Fitted by 'nurture calibrate' to \(events) (\(Figures.count(report.leads, "lead")))"
                    + (cutoff.map { " before \(CSVText.time($0))" } ?? "") + ", from the personas of \(startPath).",
                "Fitted: share, bounce (in the starting file's proportions), open, click, reply, unsubscribe, open_delay,",
                "click_delay, clicks, visits" + (report.reps.map { $0.isEmpty ? "" : ", and reps: from \(outcomes ?? "the outcomes")" } ?? "")
                    + ". Kept: everything else. See docs/calibration.md.",
            ]
            try Terminal.writeFile(Array(PersonaFile.yaml(report.fitted, header: header, reps: report.reps).utf8), to: output)
            Terminal.error("wrote \(output)")
        }
        print(format == .json ? report.json : report.text, terminator: "")
    }

    /// Which persona file the fit started from, for the written file's header.
    var startPath: String {
        personas ?? ["\(definitions)/\(PersonaLoader.fileName)", "examples/personas/b2b-saas.yml"]
            .first { FileManager.default.fileExists(atPath: $0) } ?? "examples/personas/b2b-saas.yml"
    }

    /// The persona file named, else the definitions folder's, else the shipped example: as the dry-run finds it.
    func startingPopulation() throws -> Population {
        var options = try PopulationOptions.parse([])
        options.personas = personas
        return try options.loadPopulation(definitionsFolder: definitions)
    }

    /// The recorded events, as the fit reads them; bad rows are reported and skipped.
    func loadEvents() throws -> [RecordedEvent] {
        let recording = RecordedHistoryFile.load(path: events)
        for diagnostic in recording.diagnostics.sorted { Terminal.error(diagnostic.description) }
        var result: [RecordedEvent] = []
        result.reserveCapacity(recording.rows.count + recording.outcomes.count)
        var unnamed = 0
        for row in recording.rows {
            guard let lead = row.lead else { unnamed += 1; continue }
            let machine = row.event.category == "machine"
            let kind: RecordedEvent.Kind = switch row.event.kind {
            case .emailOpen: machine ? .machineOpen : .open
            case .emailClick: machine ? .other : .click
            case .pageVisit: .visit
            case .reply: .reply
            case .unsubscribe: .unsubscribe
            case .hardBounce: .bounce
            default: .other
            }
            result.append(RecordedEvent(lead: lead, at: row.at, kind: kind, step: row.event.step, category: row.event.category))
        }
        for outcome in recording.outcomes {
            guard let lead = outcome.lead else { unnamed += 1; continue }
            result.append(RecordedEvent(lead: lead, at: outcome.at, kind: outcome.kind == .emailSent ? .sent : .handedOff, step: outcome.step))
        }
        if let leads {
            let (table, diagnostics) = LeadTable.load(path: leads)
            for diagnostic in diagnostics.sorted { Terminal.error(diagnostic.description) }
            guard !table.isEmpty else { throw ValidationError("no usable leads in \(leads)") }
            let known = Set(table.map(\.id))
            let before = result.count
            result.removeAll { !known.contains($0.lead) }
            if result.count < before {
                Terminal.error("\(events): warning: \(Figures.count(before - result.count, "row")) of leads not in \(leads) left out")
            }
        }
        if unnamed > 0 {
            Terminal.error("\(events): warning: \(Figures.count(unnamed, "row")) without a lead left out: each row needs its lead's id in 'lead'")
        }
        guard !result.isEmpty else { throw ValidationError("no usable rows in \(events)") }
        return result
    }

    func loadOutcomes() throws -> [RecordedOutcome] {
        guard let outcomes else { return [] }
        let (rows, diagnostics) = OutcomeLog.load(path: outcomes)
        for diagnostic in diagnostics.sorted { Terminal.error(diagnostic.description) }
        if rows.isEmpty, diagnostics.hasErrors { throw ValidationError("no usable rows in \(outcomes)") }
        return rows.map { row in
            RecordedOutcome(
                lead: row.lead, handedOffAt: row.handedOffAt, score: row.score, grade: row.grade,
                answer: RecordedOutcome.Answer(rawValue: row.outcome) ?? .open, reason: row.reason, answeredAt: row.answeredAt,
                touchedAt: row.touchedAt)
        }
    }
}
