import CSV
import Foundation
import NurtureCore

/// A recorded list of a prospect's events, as CSV (`at,type,category,step` with a header row, plus
/// an optional `lead` column) or JSON Lines (`{"at": ..., "type": ..., "category": ..., "step": ...}`).
///
/// Bad rows are reported with their line number and skipped; the good rows are kept.
public enum EventLog {
    public struct Row: Hashable, Sendable {
        public var line: Int
        public var at: Date
        public var lead: String?
        public var event: EngagementEvent
    }

    public static let columns = ["at", "type", "category", "step", "lead"]

    public static func load(path: String) -> (rows: [Row], diagnostics: Diagnostics) {
        var diagnostics = Diagnostics()
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            diagnostics.append(.init(.error, file: path, line: 0, column: 0, message: "cannot read the file as UTF-8 text"))
            return ([], diagnostics)
        }
        if path.hasSuffix(".jsonl") || path.hasSuffix(".ndjson") || text.first == "{" {
            return parseJSONLines(text, file: path)
        }
        return parseCSV(text, file: path)
    }

    static func parseCSV(_ text: String, file: String) -> (rows: [Row], diagnostics: Diagnostics) {
        var diagnostics = Diagnostics()
        var rows: [Row] = []
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: true)
        } catch {
            diagnostics.append(.init(.error, file: file, line: 1, column: 1, message: "not CSV: \(error)"))
            return ([], diagnostics)
        }
        let header = reader.headerRow ?? []
        for (index, name) in header.enumerated() where !columns.contains(name) {
            diagnostics.append(.init(
                .error, file: file, line: 1, column: index + 1,
                message: "unknown column '\(name)'; expected \(columns.joined(separator: ", "))"))
        }
        for required in ["at", "type"] where !header.contains(required) {
            diagnostics.append(.init(.error, file: file, line: 1, column: 1, message: "missing column '\(required)'"))
        }
        guard !diagnostics.hasErrors else { return ([], diagnostics) }
        var line = 1
        while let values = reader.next() {
            line += 1
            if values.allSatisfy(\.isEmpty) { continue }
            guard values.count == header.count else {
                diagnostics.append(.init(
                    .error, file: file, line: line, column: 1,
                    message: "expected \(header.count) fields, found \(values.count); row skipped"))
                continue
            }
            let fields = Dictionary(zip(header, values), uniquingKeysWith: { first, _ in first })
            switch row(fields, line: line) {
            case let .success(row): rows.append(row)
            case let .failure(problem):
                diagnostics.append(.init(.error, file: file, line: line, column: problem.column(in: header), message: problem.message))
            }
        }
        if let error = reader.error {
            diagnostics.append(.init(.error, file: file, line: line + 1, column: 1, message: "malformed CSV: \(error)"))
        }
        return (rows, diagnostics)
    }

    static func parseJSONLines(_ text: String, file: String) -> (rows: [Row], diagnostics: Diagnostics) {
        var diagnostics = Diagnostics()
        var rows: [Row] = []
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
            switch row(fields, line: index + 1) {
            case let .success(row): rows.append(row)
            case let .failure(problem):
                diagnostics.append(.init(.error, file: file, line: index + 1, column: 1, message: problem.message))
            }
        }
        return (rows, diagnostics)
    }

    struct Problem: Error {
        var field: String
        var message: String

        func column(in header: [String]) -> Int { (header.firstIndex(of: field) ?? 0) + 1 }
    }

    static func row(_ fields: [String: String], line: Int) -> Result<Row, Problem> {
        guard let atText = fields["at"], !atText.isEmpty else {
            return .failure(Problem(field: "at", message: "missing time in 'at'; row skipped"))
        }
        guard let at = Timestamp.parse(atText) else {
            return .failure(Problem(
                field: "at", message: "'\(atText)' is not a time; write ISO 8601 with an offset, e.g. 2026-03-03T10:12:00+05:30"))
        }
        let typeText = fields["type"] ?? ""
        guard let kind = EngagementEvent.Kind(rawValue: typeText) else {
            let names = EngagementEvent.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            return .failure(Problem(field: "type", message: "unknown event type '\(typeText)'; expected one of \(names)"))
        }
        func optional(_ key: String) -> String? { fields[key].flatMap { $0.isEmpty ? nil : $0 } }
        return .success(Row(
            line: line, at: at, lead: optional("lead"),
            event: EngagementEvent(kind, category: optional("category"), step: optional("step"))))
    }
}

/// ISO 8601 times as people write them in files: with or without fractional seconds, with an offset or Z.
public enum Timestamp {
    public static func parse(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}
