import Foundation
import NurtureCore

/// Hand-offs and how sales answered them, as CSV: what `nurture export --outcomes` writes and
/// `nurture calibrate --outcomes` reads. One row per hand-off:
///
/// `lead,handed_off_at,sequence,score,grade,rep,outcome,reason,answered_at,touched_at`
///
/// `outcome` is `accepted`, `rejected`, `expired` (nobody answered within the service level) or
/// `open` (not answered yet); `reason` is the rejection reason. `lead`, `handed_off_at`, `score`,
/// `grade` and `outcome` are required; the rest may be empty or left out. `answered_at` may not come
/// before the hand-off, nor `touched_at` before the answer; only an accepted hand-off has a touch,
/// and an open or expired one no answer. Bad rows are reported
/// at file:line:column with the field, and skipped.
public enum OutcomeLog {
    public struct Row: Hashable, Sendable {
        public var line: Int
        public var lead: String
        public var handedOffAt: Date
        public var sequence: String?
        public var score: Double
        public var grade: String
        public var rep: String?
        public var outcome: String
        public var reason: String?
        public var answeredAt: Date?
        public var touchedAt: Date?

        public init(
            line: Int = 0, lead: String, handedOffAt: Date, sequence: String?, score: Double, grade: String, rep: String?,
            outcome: String, reason: String?, answeredAt: Date?, touchedAt: Date?
        ) {
            self.line = line
            self.lead = lead
            self.handedOffAt = handedOffAt
            self.sequence = sequence
            self.score = score
            self.grade = grade
            self.rep = rep
            self.outcome = outcome
            self.reason = reason
            self.answeredAt = answeredAt
            self.touchedAt = touchedAt
        }
    }

    public static let columns = ["lead", "handed_off_at", "sequence", "score", "grade", "rep", "outcome", "reason", "answered_at", "touched_at"]
    static let required = ["lead", "handed_off_at", "score", "grade", "outcome"]
    public static let outcomes = ["accepted", "rejected", "expired", "open"]
    /// Scores beyond this are typos: no scoring model gives them.
    static let scoreLimit = 100_000.0

    public static func load(path: String) -> (rows: [Row], diagnostics: Diagnostics) {
        var diagnostics = Diagnostics()
        var rows: [Row] = []
        let file: OpenFile
        switch TextFile.openRegular(path: path) {
        case let .success(opened): file = opened
        case let .failure(problem):
            diagnostics.append(problem.diagnostic)
            return (rows, diagnostics)
        }
        var reader = CSVReader(file: file)
        var header: [String]?
        while let item = reader.next() {
            let record: CSVReader.Record
            switch item {
            case let .problem(line, column, message):
                diagnostics.append(.init(.error, file: path, line: line, column: column, message: message))
                continue
            case let .record(read): record = read
            }
            if record.fields.allSatisfy(\.value.isEmpty) { continue }
            guard let names = header else {
                header = record.fields.map(\.value)
                for field in record.fields where !columns.contains(field.value) {
                    diagnostics.append(.init(.error, file: path, line: field.line, column: field.column,
                        message: "unknown column '\(field.value)'; expected \(columns.joined(separator: ", "))"))
                }
                for name in required where !header!.contains(name) {
                    diagnostics.append(.init(.error, file: path, line: record.line, column: 1, message: "missing column '\(name)'"))
                }
                if diagnostics.hasErrors { return (rows, diagnostics) }
                continue
            }
            if let problem = record.widthProblem(expected: names.count) {
                diagnostics.append(.init(.error, file: path, line: problem.line, column: problem.column, message: problem.message))
                continue
            }
            var fields: [String: (value: String, line: Int, column: Int)] = [:]
            for (name, field) in zip(names, record.fields) where fields[name] == nil { fields[name] = (field.value, field.line, field.column) }
            switch row(fields, line: record.line) {
            case let .success(row): rows.append(row)
            case let .failure(problem):
                let at = fields[problem.field]
                diagnostics.append(.init(.error, file: path, line: at?.line ?? record.line, column: at?.column ?? 1,
                                         message: "\(problem.field): \(problem.message); row skipped"))
            }
        }
        if header == nil, !diagnostics.hasErrors {
            diagnostics.append(.init(.error, file: path, line: 1, column: 1, message: "no header row: the file is empty"))
        }
        return (rows, diagnostics)
    }

    struct Problem: Error {
        var field: String
        var message: String
    }

    static func row(_ fields: [String: (value: String, line: Int, column: Int)], line: Int) -> Result<Row, Problem> {
        func text(_ name: String) -> String? { fields[name].flatMap { $0.value.isEmpty ? nil : $0.value } }
        func time(_ name: String) -> Result<Date?, Problem> {
            guard let value = text(name) else { return .success(nil) }
            guard let date = Timestamp.parse(value), Timestamp.plausibleEventTimes(now: Date()).contains(date) else {
                return .failure(Problem(field: name, message: "'\(value)' is not a time; write ISO 8601 with an offset, e.g. 2026-03-03T10:12:00Z"))
            }
            return .success(date)
        }
        guard let lead = text("lead") else { return .failure(Problem(field: "lead", message: "missing the lead's id")) }
        let handedOff: Date?, answered: Date?, touched: Date?
        switch (time("handed_off_at"), time("answered_at"), time("touched_at")) {
        case let (.success(a), .success(b), .success(c)): (handedOff, answered, touched) = (a, b, c)
        case let (.failure(problem), _, _), let (_, .failure(problem), _), let (_, _, .failure(problem)): return .failure(problem)
        }
        guard let handedOff else { return .failure(Problem(field: "handed_off_at", message: "missing the hand-off's time")) }
        guard let scoreText = text("score") else { return .failure(Problem(field: "score", message: "missing the score at hand-off")) }
        guard let score = Double(scoreText), score.isFinite, abs(score) <= scoreLimit else {
            return .failure(Problem(field: "score", message: "'\(scoreText)' is not a score; write a number such as 85"))
        }
        guard let grade = text("grade") else { return .failure(Problem(field: "grade", message: "missing the fit grade at hand-off")) }
        let outcome = text("outcome") ?? ""
        guard outcomes.contains(outcome) else {
            return .failure(Problem(field: "outcome", message: "'\(outcome)' is not an outcome; expected one of \(outcomes.joined(separator: ", "))"))
        }
        // Times out of order are typos or clocks gone wrong; fitted as they are, they would give
        // negative times to answer and to touch.
        if let answered, answered < handedOff {
            return .failure(Problem(field: "answered_at", message: "\(CSVText.time(answered)) is before handed_off_at \(CSVText.time(handedOff))"))
        }
        if let touched, touched < (answered ?? handedOff) {
            let earlier = answered == nil ? "handed_off_at" : "answered_at"
            return .failure(Problem(field: "touched_at", message: "\(CSVText.time(touched)) is before \(earlier) \(CSVText.time(answered ?? handedOff))"))
        }
        if touched != nil, outcome != "accepted" {
            return .failure(Problem(field: "touched_at", message: "only an accepted hand-off has a first touch; this one is \(outcome)"))
        }
        if answered != nil, outcome == "open" || outcome == "expired" {
            return .failure(Problem(field: "answered_at", message: "an \(outcome) hand-off has no answer; its outcome would be accepted or rejected"))
        }
        return .success(Row(
            line: line, lead: lead, handedOffAt: handedOff, sequence: text("sequence"), score: score, grade: grade, rep: text("rep"),
            outcome: outcome, reason: text("reason"), answeredAt: answered, touchedAt: touched))
    }

    /// The header and one line per row, as `load` reads them.
    public static func csv(_ rows: [Row]) -> String {
        var lines = [columns.joined(separator: ",")]
        for row in rows {
            let score = row.score == row.score.rounded() ? String(Int(row.score)) : String(format: "%.2f", row.score)
            lines.append([
                row.lead, CSVText.time(row.handedOffAt), row.sequence ?? "", score, row.grade, row.rep ?? "", row.outcome,
                row.reason ?? "", row.answeredAt.map(CSVText.time) ?? "", row.touchedAt.map(CSVText.time) ?? "",
            ].map(CSVText.field).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
