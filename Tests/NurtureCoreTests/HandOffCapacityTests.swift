import Foundation
import NurtureTestSupport
import Testing
@testable import NurtureCore

/// The capacity counting rule, and the dates it counts in.
@Suite("Hand-off capacity days")
struct HandOffCapacityTests {
    static let hours = window(weekdays, "09:00-17:00", Zone.newYork)

    @Test("dates read and print as written, and impossible ones are refused")
    func calendarDays() {
        #expect(CalendarDay(parsing: "2026-03-02")?.description == "2026-03-02")
        #expect(CalendarDay(parsing: "2024-02-29")?.description == "2024-02-29")
        #expect(CalendarDay(parsing: "2026-03-02")?.weekday == .monday)
        #expect(CalendarDay(parsing: "1970-01-01") == nil, "outside the years allowed")
        for bad in ["2026-02-29", "2026-13-01", "2026-3-2", "２０２６-03-02", "2026-03-02x", "", "2026-04-31"] {
            #expect(CalendarDay(parsing: bad) == nil, "\(bad)")
        }
        #expect(CalendarDay(utc(2026, 3, 3, 3), in: Zone.newYork).description == "2026-03-02", "22:00 on Monday in New York")
    }

    @Test("a hand-off counts on its business day in the business-hours zone; a weekend's on the Monday")
    func countingDay() {
        func day(_ instant: Date) -> String { HandOffCapacity.day(of: instant, businessHours: Self.hours).description }
        #expect(day(utc(2026, 3, 3, 3)) == "2026-03-02", "Monday 22:00 in New York, Tuesday in UTC")
        #expect(day(utc(2026, 3, 7, 15)) == "2026-03-09", "Saturday")
        #expect(day(utc(2026, 3, 9, 4, 59)) == "2026-03-09", "Sunday 23:59")
    }

    @Test("the instants counted on a Monday run from Saturday 00:00 to Tuesday 00:00 on the business clock")
    func countingSpan() {
        let monday = CalendarDay(parsing: "2026-03-09")!
        let span = HandOffCapacity.instants(countingOn: monday, businessHours: Self.hours)
        #expect(span.lowerBound == utc(2026, 3, 7, 5))
        // Daylight saving starts on Sunday 8 March: midnight on Tuesday is 04:00 UTC.
        #expect(span.upperBound == utc(2026, 3, 10, 4))
        let tuesday = HandOffCapacity.instants(countingOn: monday.adding(days: 1), businessHours: Self.hours)
        #expect(tuesday.lowerBound == span.upperBound)
        #expect(HandOffCapacity.instants(countingOn: monday.adding(days: -1), businessHours: Self.hours).isEmpty)
        // Every instant in the span counts on Monday, and the ones either side do not.
        for hour in stride(from: 0.0, to: span.upperBound.timeIntervalSince(span.lowerBound), by: 1800) {
            #expect(HandOffCapacity.day(of: span.lowerBound.addingTimeInterval(hour), businessHours: Self.hours) == monday)
        }
        #expect(HandOffCapacity.day(of: span.upperBound, businessHours: Self.hours) != monday)
        #expect(HandOffCapacity.day(of: span.lowerBound.addingTimeInterval(-1), businessHours: Self.hours) != monday)
    }
}
