import Foundation
import NurtureCore
import NurtureDefinitions
import Testing

/// The date,count file of `nurture simulate --arrivals FILE`: its rows, and each bad row reported at
/// its line, column and field.
@Suite("Arrivals file")
struct ArrivalsFileTests {
    static let first = CalendarDay(parsing: "2026-01-05")!
    static let run = first...first.adding(days: 29)

    static func parse(_ text: String) -> (rows: [ArrivalsFile.Row], diagnostics: [String]) {
        let (rows, diagnostics) = ArrivalsFile.parse(text, name: "arrivals.csv", days: run)
        return (rows, diagnostics.sorted.map(\.description))
    }

    @Test func aWebinarSpikeThenATrickle() {
        let (rows, diagnostics) = Self.parse("date,count\r\n2026-01-07,1200\r\n\r\n2026-01-08, 90\r\n2026-01-09,0\r\n")
        #expect(diagnostics.isEmpty)
        #expect(rows.map(\.day.description) == ["2026-01-07", "2026-01-08", "2026-01-09"])
        #expect(rows.map(\.count) == [1200, 90, 0])
        #expect(rows.map(\.line) == [2, 4, 5])
        // Without a header too.
        #expect(Self.parse("2026-01-07,5\n").rows.map(\.count) == [5])
    }

    @Test func eachBadRowIsReportedAtItsLineAndField() {
        let text = """
            date,count
            2026-01-07,100
            2026-13-01,5
            2026-01-08,many
            2026-01-09,-3
            2026-03-01,4
            2026-01-07,9
            2026-01-10
            2026-01-11,1,2
            2026-01-12,1000001
            """
        let (rows, diagnostics) = Self.parse(text)
        #expect(rows.isEmpty, "a file with errors gives no rows")
        #expect(diagnostics == [
            "arrivals.csv:3:1: error: date: '2026-13-01' is not an ISO date such as 2026-01-07",
            "arrivals.csv:4:12: error: count: 'many' is not a whole number from 0 to 1000000",
            "arrivals.csv:5:12: error: count: '-3' is not a whole number from 0 to 1000000",
            "arrivals.csv:6:1: error: date: 2026-03-01 is outside the run, 2026-01-05 to 2026-02-03 (see --start and --days)",
            "arrivals.csv:7:1: error: date: 2026-01-07 is already on line 2",
            "arrivals.csv:8:1: error: expected date,count, found 1 field",
            "arrivals.csv:9:14: error: expected date,count, found 3 fields",
            "arrivals.csv:10:12: error: count: '1000001' is not a whole number from 0 to 1000000",
        ])
    }

    @Test func limitsOnTheTotalTheRowsAndTheHeader() {
        let many = (0..<11).map { "2026-01-\(String(format: "%02d", 5 + $0)),1000000" }.joined(separator: "\n")
        #expect(Self.parse(many).diagnostics == [
            "arrivals.csv:11:12: error: count: the counts add up to more than 10000000 prospects by this row",
        ])
        #expect(Self.parse("date,prospects\n2026-01-07,1\n").diagnostics == ["arrivals.csv:1:1: error: the header must be date,count"])
        #expect(Self.parse("\n\n").diagnostics == ["arrivals.csv:1:1: error: no date,count rows"])
        let year = CalendarDay(parsing: "2026-01-01")!
        let daily = (0..<3_651).map { "\(year.adding(days: Int64($0))),1" }.joined(separator: "\n")
        let (rows, diagnostics) = ArrivalsFile.parse(daily, name: "a.csv", days: year...year.adding(days: 4_000))
        #expect(rows.isEmpty)
        #expect(diagnostics.sorted.map(\.description) == ["a.csv:3651:1: error: more than 3650 dates; a run has at most 3650 days"])
    }

    @Test func aMissingFileIsReportedByName() {
        let (rows, diagnostics) = ArrivalsFile.load(path: "/nonexistent/arrivals.csv", days: Self.run)
        #expect(rows.isEmpty)
        #expect(diagnostics.hasErrors)
        #expect(diagnostics.sorted.first?.description.hasPrefix("/nonexistent/arrivals.csv") == true)
    }
}
