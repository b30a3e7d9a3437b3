import Foundation
import NurtureCore

/// A recorded history as `nurture export` writes it and `calibrate` reads it: the event log's CSV
/// (`at,type,category,step,lead`, with `email_sent` and `handed_off` rows), streamed row by row so
/// that a store's whole history is read whatever its size. Bad rows are reported with their line
/// and field and skipped; the good rows are kept.
public enum RecordedHistoryFile {
    /// Every event and outcome row, in file order. JSON Lines files are read as the event log reads them.
    public static func load(path: String) -> EventLog.Recording {
        if path.hasSuffix(".jsonl") || path.hasSuffix(".ndjson") { return EventLog.loadRecording(path: path) }
        var recording = EventLog.Recording(rows: [], outcomes: [], diagnostics: Diagnostics())
        let file: OpenFile
        switch TextFile.openRegular(path: path) {
        case let .success(opened): file = opened
        case let .failure(problem):
            recording.diagnostics.append(problem.diagnostic)
            return recording
        }
        var reader = CSVReader(file: file)
        var header: [String]?
        while let item = reader.next() {
            let record: CSVReader.Record
            switch item {
            case let .problem(line, column, message):
                recording.diagnostics.append(.init(.error, file: path, line: line, column: column, message: message))
                continue
            case let .record(read): record = read
            }
            if record.fields.allSatisfy(\.value.isEmpty) { continue }
            guard let names = header else {
                header = record.fields.map(\.value)
                EventLog.checkHeader(record, file: path, into: &recording.diagnostics)
                if recording.diagnostics.hasErrors { return recording }
                continue
            }
            if let problem = record.widthProblem(expected: names.count) {
                recording.diagnostics.append(.init(.error, file: path, line: problem.line, column: problem.column, message: problem.message))
                continue
            }
            let fields = Dictionary(zip(names, record.fields.map(\.value)), uniquingKeysWith: { first, _ in first })
            switch EventLog.entry(fields, line: record.line, acceptingOutcomes: true) {
            case let .success(.event(row)): recording.rows.append(row)
            case let .success(.outcome(outcome)): recording.outcomes.append(outcome)
            case .success(.action): continue
            case let .failure(problem):
                let field = names.firstIndex(of: problem.field).map { record.fields[$0] }
                recording.diagnostics.append(.init(
                    .error, file: path, line: field?.line ?? record.line, column: field?.column ?? 1,
                    message: "\(problem.field): \(problem.message)"))
            }
        }
        if header == nil, !recording.diagnostics.hasErrors {
            recording.diagnostics.append(.init(.error, file: path, line: 1, column: 1, message: "no header row: the file is empty"))
        }
        return recording
    }

    /// The header `nurture export` writes.
    public static let header = "at,type,category,step,lead"

    /// One row of the history, its fields quoted where CSV needs it.
    public static func row(at: Date, type: String, category: String?, step: String?, lead: String) -> String {
        [CSVText.time(at), type, category ?? "", step ?? "", lead].map(CSVText.field).joined(separator: ",")
    }
}

/// Fields and times as the CSV files Nurture writes hold them.
public enum CSVText {
    /// A field, quoted when it holds a comma, a quote or a line break.
    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    nonisolated(unsafe) private static let formatter = ISO8601DateFormatter()

    /// ISO 8601 in UTC, to the second.
    public static func time(_ date: Date) -> String { formatter.string(from: date) }
}
