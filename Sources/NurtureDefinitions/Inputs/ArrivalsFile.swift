import Foundation
import NurtureCore

/// How many prospects arrive on each date of a dry run (`nurture simulate --arrivals FILE`): a CSV of
/// `date,count` rows, such as a webinar's spike and then a trickle. A `date,count` header is
/// optional; blank rows are skipped.
///
/// Every row is checked, and each bad one is reported with its line, column and field: a date must
/// be an ISO date (`2026-01-07`) within the run and named once; a count a whole number from 0 to
/// ``maxCount``; the counts together at most ``maxTotal``; at most ``maxRows`` rows. A file with
/// any error gives no rows.
public enum ArrivalsFile {
    public struct Row: Sendable, Equatable {
        public var day: CalendarDay
        public var count: Int
        public var line: Int
    }

    /// The most prospects one date may bring: the scheduler's most paced starts in a day.
    public static let maxCount = EnrollmentPace.perDayRange.upperBound
    /// The most prospects a file may bring, as `--prospects` allows.
    public static let maxTotal = 10_000_000
    /// One row per day of the longest run.
    public static let maxRows = 3_650

    /// The rows of the file at `path`, for a run over `days` (the business clock's dates).
    public static func load(path: String, days: ClosedRange<CalendarDay>) -> (rows: [Row], diagnostics: Diagnostics) {
        var diagnostics = Diagnostics()
        guard let text = TextFile.read(path: path, into: &diagnostics) else { return ([], diagnostics) }
        return parse(text, name: path, days: days)
    }

    /// The rows of `text`, named `name` in diagnostics.
    public static func parse(_ text: String, name: String, days: ClosedRange<CalendarDay>) -> (rows: [Row], diagnostics: Diagnostics) {
        var diagnostics = Diagnostics()
        var rows: [Row] = []
        var lineOfDay: [CalendarDay: Int] = [:]
        var total = 0
        var reader = CSVReader(text: text)
        var first = true
        func error(_ line: Int, _ column: Int, _ message: String) {
            diagnostics.append(.init(.error, file: name, line: line, column: column, message: message))
        }
        while let item = reader.next() {
            let record: CSVReader.Record
            switch item {
            case let .problem(line, column, message):
                error(line, column, message)
                continue
            case let .record(read): record = read
            }
            if record.fields.allSatisfy(\.value.isEmpty) { continue }
            defer { first = false }
            if first, record.fields.first?.value.lowercased() == "date" {
                if record.fields.map({ $0.value.lowercased() }) != ["date", "count"] {
                    error(record.line, 1, "the header must be date,count")
                    return ([], diagnostics)
                }
                continue
            }
            if let problem = record.widthProblem(expected: 2) {
                error(problem.line, problem.column, "expected date,count, found \(record.fields.count) field\(record.fields.count == 1 ? "" : "s")")
                continue
            }
            guard rows.count < maxRows else {
                error(record.line, 1, "more than \(maxRows) dates; a run has at most \(maxRows) days")
                return ([], diagnostics)
            }
            let dateField = record.fields[0], countField = record.fields[1]
            let day = CalendarDay(parsing: dateField.value)
            if day == nil {
                error(dateField.line, dateField.column, "date: '\(dateField.value.prefix(40))' is not an ISO date such as 2026-01-07")
            } else if let day, !days.contains(day) {
                error(dateField.line, dateField.column, "date: \(day) is outside the run, \(days.lowerBound) to \(days.upperBound) (see --start and --days)")
            } else if let day, let earlier = lineOfDay[day] {
                error(dateField.line, dateField.column, "date: \(day) is already on line \(earlier)")
            }
            let count = Int(countField.value).flatMap { (0...maxCount).contains($0) ? $0 : nil }
            if count == nil {
                error(countField.line, countField.column, "count: '\(countField.value.prefix(40))' is not a whole number from 0 to \(maxCount)")
            }
            guard let day, let count, days.contains(day), lineOfDay[day] == nil else { continue }
            total += count
            if total > maxTotal {
                error(countField.line, countField.column, "count: the counts add up to more than \(maxTotal) prospects by this row")
                return ([], diagnostics)
            }
            lineOfDay[day] = record.line
            rows.append(Row(day: day, count: count, line: record.line))
        }
        if rows.isEmpty, !diagnostics.hasErrors {
            error(1, 1, "no date,count rows")
        }
        return (diagnostics.hasErrors ? [] : rows, diagnostics)
    }
}
