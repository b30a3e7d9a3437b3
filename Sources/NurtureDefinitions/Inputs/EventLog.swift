import Foundation
import NurtureCore

/// A recorded list of a prospect's events, as CSV (`at,type,category,step` with a header row, plus
/// an optional `lead` column) or JSON Lines (`{"at": ..., "type": ..., "category": ..., "step": ...}`).
///
/// A recording for a backtest may also hold what the old program did: `email_sent` (with the
/// step) and `handed_off` rows.
///
/// Bad rows are reported with their line number and skipped; the good rows are kept.
public enum EventLog {
    /// Something the program that ran at the time did, as recorded.
    public struct Outcome: Hashable, Sendable {
        public enum Kind: String, Hashable, Sendable {
            case emailSent = "email_sent"
            case handedOff = "handed_off"
        }

        public var line: Int
        public var at: Date
        public var lead: String?
        public var kind: Kind
        public var step: String?
    }

    /// Events and outcomes of a recording, for a backtest.
    public struct Recording: Sendable {
        public var rows: [Row]
        public var outcomes: [Outcome]
        public var diagnostics: Diagnostics
    }

    enum Entry {
        case event(Row)
        case outcome(Outcome)
        case action(ActionRow)
    }

    /// A rep's action exported from a CRM: type `rep_action`, the action in `action`
    /// (`accept`, `reject(not-ready)`, `won`).
    public struct ActionRow: Hashable, Sendable {
        public var line: Int
        public var id: String?
        public var at: Date
        public var lead: String?
        public var action: RepAction
        /// The deal's value, on a `qualify` or `won` row that has `amount` and `currency`.
        public var value: DealValue?
    }

    /// Events and rep actions, for `events ingest` and the event API.
    public struct Intake: Sendable {
        public var rows: [Row]
        public var actions: [ActionRow]
        public var diagnostics: Diagnostics
    }

    public struct Row: Hashable, Sendable {
        public var line: Int
        /// The tracking system's event id, which makes ingesting a file twice harmless.
        public var id: String?
        public var at: Date
        public var lead: String?
        public var event: EngagementEvent
    }

    public static let columns = ["at", "type", "category", "step", "lead", "id", "action", "amount", "currency"]

    /// A prospect's events (outcome rows are errors here).
    public static func load(path: String) -> (rows: [Row], diagnostics: Diagnostics) {
        let recording = parse(path: path, acceptingOutcomes: false).recording
        return (recording.rows, recording.diagnostics)
    }

    /// Events and recorded outcomes, for a backtest.
    public static func loadRecording(path: String) -> Recording { parse(path: path, acceptingOutcomes: true).recording }

    /// Events and rep actions from a file, for `events ingest`.
    public static func loadIntake(path: String) -> Intake {
        let (recording, actions) = parse(path: path, acceptingOutcomes: false, acceptingActions: true)
        return Intake(rows: recording.rows, actions: actions, diagnostics: recording.diagnostics)
    }

    /// Events and rep actions from a request body (JSON Lines or CSV), named `name` in diagnostics.
    public static func intake(text: String, name: String) -> Intake {
        let (recording, actions) = parse(text: text, path: name, acceptingOutcomes: false, acceptingActions: true)
        return Intake(rows: recording.rows, actions: actions, diagnostics: recording.diagnostics)
    }

    static func parse(path: String, acceptingOutcomes: Bool, acceptingActions: Bool = false) -> (recording: Recording, actions: [ActionRow]) {
        var unread = Diagnostics()
        guard let text = TextFile.read(path: path, into: &unread) else {
            return (Recording(rows: [], outcomes: [], diagnostics: unread), [])
        }
        return parse(text: text, path: path, acceptingOutcomes: acceptingOutcomes, acceptingActions: acceptingActions)
    }

    static func parse(text: String, path: String, acceptingOutcomes: Bool, acceptingActions: Bool) -> (recording: Recording, actions: [ActionRow]) {
        let (entries, diagnostics) = path.hasSuffix(".jsonl") || path.hasSuffix(".ndjson") || text.first == "{"
            ? parseJSONLines(text, file: path, acceptingOutcomes: acceptingOutcomes, acceptingActions: acceptingActions)
            : parseCSV(text, file: path, acceptingOutcomes: acceptingOutcomes, acceptingActions: acceptingActions)
        var recording = Recording(rows: [], outcomes: [], diagnostics: diagnostics)
        var actions: [ActionRow] = []
        for entry in entries {
            switch entry {
            case let .event(row): recording.rows.append(row)
            case let .outcome(outcome): recording.outcomes.append(outcome)
            case let .action(action): actions.append(action)
            }
        }
        return (recording, actions)
    }

    static func parseCSV(_ text: String, file: String, acceptingOutcomes: Bool, acceptingActions: Bool) -> (entries: [Entry], diagnostics: Diagnostics) {
        var diagnostics = Diagnostics()
        var rows: [Entry] = []
        var reader = CSVReader(text: text)
        var header: [String]?
        while let item = reader.next() {
            let record: CSVReader.Record
            switch item {
            case let .problem(line, column, message):
                diagnostics.append(.init(.error, file: file, line: line, column: column, message: message))
                continue
            case let .record(read): record = read
            }
            if record.fields.allSatisfy(\.value.isEmpty) { continue }
            guard let names = header else {
                header = record.fields.map(\.value)
                checkHeader(record, file: file, into: &diagnostics)
                guard !diagnostics.hasErrors else { return ([], diagnostics) }
                continue
            }
            if let problem = record.widthProblem(expected: names.count) {
                diagnostics.append(.init(.error, file: file, line: problem.line, column: problem.column, message: problem.message))
                continue
            }
            let fields = Dictionary(zip(names, record.fields.map(\.value)), uniquingKeysWith: { first, _ in first })
            switch entry(fields, line: record.line, acceptingOutcomes: acceptingOutcomes, acceptingActions: acceptingActions) {
            case let .success(entry): rows.append(entry)
            case let .failure(problem):
                let field = names.firstIndex(of: problem.field).map { record.fields[$0] }
                diagnostics.append(.init(
                    .error, file: file, line: field?.line ?? record.line, column: field?.column ?? 1, message: problem.message))
            }
        }
        return (rows, diagnostics)
    }

    /// Unknown columns, and the two every row needs.
    static func checkHeader(_ record: CSVReader.Record, file: String, into diagnostics: inout Diagnostics) {
        for field in record.fields where !columns.contains(field.value) {
            diagnostics.append(.init(
                .error, file: file, line: field.line, column: field.column,
                message: "unknown column '\(field.value)'; expected \(columns.joined(separator: ", "))"))
        }
        let names = record.fields.map(\.value)
        for required in ["at", "type"] where !names.contains(required) {
            diagnostics.append(.init(.error, file: file, line: record.line, column: 1, message: "missing column '\(required)'"))
        }
    }

    static func parseJSONLines(_ text: String, file: String, acceptingOutcomes: Bool, acceptingActions: Bool) -> (entries: [Entry], diagnostics: Diagnostics) {
        var diagnostics = Diagnostics()
        var rows: [Entry] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8)) as? [String: Any] else {
                diagnostics.append(.init(.error, file: file, line: index + 1, column: 1, message: "not a JSON object; line skipped"))
                continue
            }
            var fields: [String: String] = [:]
            for (key, value) in object {
                guard columns.contains(key) else {
                    diagnostics.append(.init(.warning, file: file, line: index + 1, column: 1, message: "unknown field '\(key)' ignored"))
                    continue
                }
                fields[key] = (value as? String) ?? "\(value)"
            }
            switch entry(fields, line: index + 1, acceptingOutcomes: acceptingOutcomes, acceptingActions: acceptingActions) {
            case let .success(entry): rows.append(entry)
            case let .failure(problem):
                diagnostics.append(.init(.error, file: file, line: index + 1, column: 1, message: problem.message))
            }
        }
        return (rows, diagnostics)
    }

    struct Problem: Error {
        var field: String
        var message: String

    }

    static func entry(
        _ fields: [String: String], line: Int, acceptingOutcomes: Bool, acceptingActions: Bool = false
    ) -> Result<Entry, Problem> {
        guard let atText = fields["at"], !atText.isEmpty else {
            return .failure(Problem(field: "at", message: "missing time in 'at'; row skipped"))
        }
        guard let at = Timestamp.parse(atText) else {
            return .failure(Problem(
                field: "at", message: "'\(atText)' is not a time; write ISO 8601 with an offset, e.g. 2026-03-03T10:12:00+05:30"))
        }
        guard Timestamp.plausibleEventTimes(now: Date()).contains(at) else {
            return .failure(Problem(
                field: "at",
                message: "'\(atText)' is outside the times an event can have (\(Timestamp.yearsBack) years back to \(Timestamp.daysAhead) "
                    + "days ahead of now); check its year; row skipped"))
        }
        func optional(_ key: String) -> String? { fields[key].flatMap { $0.isEmpty ? nil : $0 } }
        let typeText = fields["type"] ?? ""
        if let outcome = Outcome.Kind(rawValue: typeText) {
            guard acceptingOutcomes else {
                // A backtest recording fed where prospect events are expected: say what the row is.
                return .failure(Problem(
                    field: "type", message: "'\(typeText)' records what a program did, which only a backtest reads; row skipped"))
            }
            return .success(.outcome(Outcome(line: line, at: at, lead: optional("lead"), kind: outcome, step: optional("step"))))
        }
        if typeText == "rep_action" {
            guard acceptingActions else {
                return .failure(Problem(field: "type", message: "a rep action is ingested into a store, not replayed here; row skipped"))
            }
            guard let actionText = optional("action") else {
                return .failure(Problem(field: "action", message: "a rep_action row needs its action, e.g. accept or reject(not-ready); row skipped"))
            }
            guard let action = RepAction(parsing: actionText) else {
                return .failure(Problem(
                    field: "action", message: "'\(actionText)' is not an action; write a verb or verb(reason), e.g. lost(competitor); row skipped"))
            }
            var value: DealValue?
            switch (optional("amount"), optional("currency")) {
            case (nil, nil): break
            case (_, nil): return .failure(Problem(field: "amount", message: "an amount needs its currency in 'currency', e.g. USD; row skipped"))
            case (nil, _): return .failure(Problem(field: "currency", message: "a currency needs an amount in 'amount'; row skipped"))
            case let (amount?, currency?):
                guard DealValue.verbs.contains(action.verb) else {
                    return .failure(Problem(
                        field: "amount", message: "only \(DealValue.verbs.sorted().joined(separator: " and ")) carry an amount, not \(action); row skipped"))
                }
                switch DealValue.parse(amount: amount, currency: currency) {
                case let .success(parsed): value = parsed
                case let .failure(problem): return .failure(Problem(field: problem.field, message: problem.message + "; row skipped"))
                }
            }
            return .success(.action(ActionRow(line: line, id: optional("id"), at: at, lead: optional("lead"), action: action, value: value)))
        }
        guard let kind = EngagementEvent.Kind(rawValue: typeText) else {
            var names = EngagementEvent.Kind.allCases.map(\.rawValue)
            if acceptingActions { names.append("rep_action") }
            if acceptingOutcomes { names += ["email_sent", "handed_off"] }
            return .failure(Problem(field: "type", message: "unknown event type '\(typeText)'; expected one of \(names.joined(separator: ", "))"))
        }
        return .success(.event(Row(
            line: line, id: optional("id"), at: at, lead: optional("lead"),
            event: EngagementEvent(kind, category: optional("category"), step: optional("step")))))
    }
}

/// ISO 8601 times as people write them in files: with or without fractional seconds, with an offset or Z.
public enum Timestamp {
    /// Made once: a log has a time on every row, and a formatter is costly to make. Parsing with
    /// one from several threads is safe.
    nonisolated(unsafe) private static let plain = ISO8601DateFormatter()
    nonisolated(unsafe) private static let fractional: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()

    /// How far back an event may lie: history older than this is a typo (0026 for 2026) or no use.
    public static let yearsBack = 30
    /// How far ahead an event may lie: a month covers clocks set wrong and time zones, not a year typed wrong.
    public static let daysAhead = 31

    /// The times an event can have, around `now`: a year such as 99999 is a typo, and would sort
    /// after every real event for ever.
    public static func plausibleEventTimes(now: Date) -> ClosedRange<Date> {
        now.addingTimeInterval(-Double(yearsBack) * 365.25 * 86_400)...now.addingTimeInterval(Double(daysAhead) * 86_400)
    }

    public static func parse(_ text: String) -> Date? {
        parseUTC(text) ?? plain.date(from: text) ?? fractional.date(from: text)
    }
}
