import ArgumentParser
import Foundation
import NurtureBasics
import NurtureCore
import NurtureDefinitions
import NurturePersonas
import NurtureSimulator

/// Writes a recorded history generated from a known persona file: how the example history in
/// `examples/calibration/` was made (see examples/README.md for the exact command).
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Write a recorded history (events and outcomes CSV) generated from a known persona file."
    )

    @Option(help: "The known persona file.") var personas: String
    @Option(help: "The definitions folder.") var definitions: String = "sequences"
    @Option(help: "The sequence every lead enrolls in.") var sequence: String = "post-webinar"
    @Option(help: "How many leads.") var leads: Int = 2_500
    @Option(help: "First arrival (ISO 8601).") var from: String = "2026-03-02T00:00:00Z"
    @Option(help: "Leads arrive evenly over this many days.") var arrivalDays: Int = 75
    @Option(help: "The record ends this many days after the first arrival.") var recordDays: Int = 105
    @Option(help: "Random seed.") var seed: UInt64 = 2026
    @Option(help: "Where to write the events.") var events: String
    @Option(help: "Where to write the outcomes.") var outcomes: String

    func run() throws {
        let (population, diagnostics) = PersonaLoader.load(path: personas)
        let loaded = DefinitionLoader.load(directory: definitions)
        for diagnostic in (diagnostics.all + loaded.diagnostics.all) { print(diagnostic.description) }
        guard let population, let set = loaded.definitions, let start = Timestamp.parse(from) else {
            throw ValidationError("cannot load the personas, the definitions or --from")
        }
        let generator = HistoryGenerator(
            definitions: set, sequence: sequence, population: population, leads: leads, from: start, arrivalDays: arrivalDays,
            recordDays: recordDays, seed: seed)
        let (rows, answers) = generator.generate()
        var lines = [RecordedHistoryFile.header]
        for row in rows { lines.append(RecordedHistoryFile.row(at: row.at, type: row.type, category: row.category, step: row.step, lead: row.lead)) }
        try (lines.joined(separator: "\n") + "\n").write(toFile: events, atomically: true, encoding: .utf8)
        let outcomeRows = answers.map { answer in
            OutcomeLog.Row(
                lead: answer.lead, handedOffAt: answer.handedOffAt, sequence: sequence, score: answer.score, grade: answer.grade,
                rep: "rep1@example.invalid", outcome: answer.answer.rawValue, reason: answer.reason, answeredAt: answer.answeredAt, touchedAt: answer.touchedAt)
        }
        try OutcomeLog.csv(outcomeRows).write(toFile: outcomes, atomically: true, encoding: .utf8)
        print("\(rows.count) rows for \(leads) leads in \(events); \(answers.count) hand-offs in \(outcomes)")
    }
}

/// How long `nurture calibrate` takes on a large recorded history: the history is generated from
/// the standard scenario, written as the export writes it, then read back and fitted.
struct CalibrationBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Time reading and fitting a recorded history of many leads (default 100,000)."
    )

    @Option(help: "Recorded leads.") var leads: Int = 100_000

    func run() throws {
        let start = Date(timeIntervalSince1970: 1_767_621_600)
        let generator = HistoryGenerator(
            definitions: StandardScenario.definitions, sequence: "standard", population: StandardScenario.population, leads: leads,
            from: start, arrivalDays: 60, recordDays: 90, seed: 7)
        let (rows, outcomes) = generator.generate()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nurture-calibrate-bench-\(getpid()).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var lines = [RecordedHistoryFile.header]
        for row in rows { lines.append(RecordedHistoryFile.row(at: row.at, type: row.type, category: row.category, step: row.step, lead: row.lead)) }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)

        let clock = ContinuousClock()
        var events: [RecordedEvent] = []
        let reading = clock.measure {
            let recording = RecordedHistoryFile.load(path: path)
            for row in recording.rows {
                let kind: RecordedEvent.Kind = switch row.event.kind {
                case .emailOpen: row.event.category == "machine" ? .machineOpen : .open
                case .emailClick: .click
                case .pageVisit: .visit
                case .reply: .reply
                case .unsubscribe: .unsubscribe
                case .hardBounce: .bounce
                default: .other
                }
                events.append(RecordedEvent(lead: row.lead ?? "", at: row.at, kind: kind, step: row.event.step, category: row.event.category))
            }
            for outcome in recording.outcomes {
                events.append(RecordedEvent(lead: outcome.lead ?? "", at: outcome.at, kind: outcome.kind == .emailSent ? .sent : .handedOff, step: outcome.step))
            }
        }
        var report: CalibrationReport?
        let cpuBefore = ProcessCPU.seconds
        let fitting = try clock.measure {
            report = try Calibration.fit(
                events: events, outcomes: outcomes, start: StandardScenario.population,
                businessHours: StandardScenario.definitions.lifecycle.businessHours)
        }
        print("history         \(Figures.count(leads)) leads, \(Figures.count(rows.count)) rows, \(Figures.count(outcomes.count)) hand-offs")
        print("read            \(String(format: "%.2f", reading.seconds)) s")
        // CPU seconds do not depend on how many other programs share the cores.
        let cpu = ProcessCPU.seconds - cpuBefore
        print("fit + report    \(String(format: "%.2f", fitting.seconds)) s, \(String(format: "%.2f", cpu)) s of CPU "
            + "(\(report?.fit.logLikelihoods.count ?? 0) EM iterations)")
        print("total           \(String(format: "%.2f", reading.seconds + fitting.seconds)) s")
    }
}
