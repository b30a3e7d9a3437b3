import Foundation
import NurtureCore
import NurtureOperations
import NurtureTestSupport
import Testing

/// Paced enrolment: how many start on each business day, and when.
@Suite("Enrollment pace")
struct EnrollmentPaceTests {
    /// Monday to Friday, 09:00-17:00 New York, as the shipped lifecycle's business hours.
    static let hours = SendWindow(days: [.monday, .tuesday, .wednesday, .thursday, .friday], opens: 9 * 3600, closes: 17 * 3600,
                                  timeZone: TimeZone(identifier: "America/New_York")!)

    static func localDay(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = hours.timeZone
        formatter.dateFormat = "yyyy-MM-dd EEE HH"
        return formatter.string(from: date)
    }

    @Test func tenThousandAtThreeHundredADayStartOnlyInBusinessHoursAndNeverMoreThanThePaceADay() {
        // Friday 4 December 2026, 14:00 in New York: the weekend comes after three business hours.
        let friday = utc(2026, 12, 4, 19)
        let starts = EnrollmentPace.perBusinessDay(300).starts(count: 10_000, from: friday, businessHours: Self.hours)
        #expect(starts.count == 10_000)
        #expect(starts.first == friday, "the first lead starts when asked, inside business hours")
        #expect(zip(starts, starts.dropFirst()).allSatisfy { $0 <= $1 }, "in order")
        #expect(starts.allSatisfy { Self.hours.contains($0, leadZone: nil) }, "never at night or on a weekend")
        let perDay = Dictionary(grouping: starts) { String(Self.localDay($0).prefix(14)) }.mapValues(\.count)
        #expect(perDay.values.allSatisfy { $0 <= 300 }, "\(perDay.filter { $0.value > 300 })")
        #expect(perDay["2026-12-04 Fri"] == 113, "three hours of an eight-hour day, one every 96 s: 113 starts")
        #expect(perDay.keys.allSatisfy { !$0.hasSuffix("Sat") && !$0.hasSuffix("Sun") })
        #expect(perDay["2026-12-07 Mon"] == 300 && perDay["2026-12-08 Tue"] == 300)
        // 10,000 = 113 + 32 full days of 300 + 287: the last starts on the 34th business day.
        #expect(perDay.count == 34)
    }

    @Test func overTenBusinessDaysSpreadsEvenly() {
        let monday = utc(2026, 12, 7, 14)
        let pace = EnrollmentPace.overBusinessDays(10)
        #expect(pace.perDay(count: 1_001) == 101)
        let starts = pace.starts(count: 1_000, from: monday, businessHours: Self.hours)
        let perDay = Dictionary(grouping: starts) { String(Self.localDay($0).prefix(14)) }.mapValues(\.count)
        #expect(perDay.count == 10 && perDay.values.allSatisfy { $0 == 100 }, "\(perDay)")
    }

    @Test func paceAndOverAreParsedWithinTheirLimits() throws {
        #expect(try EnrollmentPace.parse(pace: "300/day") == .perBusinessDay(300))
        #expect(try EnrollmentPace.parse(over: "10d") == .overBusinessDays(10))
        for bad in ["300", "0/day", "-1/day", "300/week", "99999999/day", "x/day", ""] {
            #expect(throws: EnrollmentPace.Problem.self, "\(bad)") { try EnrollmentPace.parse(pace: bad) }
        }
        for bad in ["10", "0d", "366d", "d", "1w"] {
            #expect(throws: EnrollmentPace.Problem.self, "\(bad)") { try EnrollmentPace.parse(over: bad) }
        }
    }
}
