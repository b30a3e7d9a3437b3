import Foundation
import NurtureCore
@testable import NurtureSimulator
import PropertyBased
import Testing

/// When each prospect of a dry run arrives: the pure schedule, by rate and by date.
@Suite("Arrival schedule")
struct ArrivalScheduleTests {
    /// Monday to Friday, 09:00-17:00 New York, as the shipped lifecycle's business hours.
    static let hours = SendWindow(days: [.monday, .tuesday, .wednesday, .thursday, .friday], opens: 9 * 3600, closes: 17 * 3600,
                                  timeZone: TimeZone(identifier: "America/New_York")!)
    static let clock = ZoneClock(hours.timeZone)
    /// Monday 5 January 2026, 09:00 in New York.
    static let monday = Date(timeIntervalSince1970: 1_767_621_600)
    static var firstDay: CalendarDay { CalendarDay(monday, in: hours.timeZone) }

    static func day(_ offset: Int64) -> CalendarDay { firstDay.adding(days: offset) }

    @Test func aRateArrivesOnBusinessDaysOnlyUpToTheRateEachDayUntilTheRunEnds() {
        // Wednesday 10:00 in New York: seven of the eight business hours are left that day.
        let start = Self.monday.addingTimeInterval(2 * 86_400 + 3600)
        let schedule = ArrivalSchedule(.perBusinessDay(80), start: start, days: 14, limit: .max, businessHours: Self.hours)
        #expect(schedule.perDay == [70, 80, 80, 0, 0, 80, 80, 80, 80, 80, 0, 0, 80, 80])
        #expect(schedule.times.count == schedule.perDay.reduce(0, +))
        #expect(schedule.times.first == start)
        #expect(schedule.times.allSatisfy { Self.hours.contains($0, leadZone: nil) })
        #expect(zip(schedule.times, schedule.times.dropFirst()).allSatisfy { $0 < $1 })
        #expect(schedule.summary == "80/day")
    }

    @Test func aRateStopsAtTheLimit() {
        let schedule = ArrivalSchedule(.perBusinessDay(80), start: Self.monday, days: 30, limit: 200, businessHours: Self.hours)
        #expect(schedule.times.count == 200)
        #expect(schedule.perDay.prefix(4) == [80, 80, 40, 0])
    }

    @Test func datesArriveOverTheirBusinessHoursEvenOnAWeekend() {
        let counts = [
            ArrivalSchedule.DailyCount(day: Self.day(5), count: 3),  // Saturday
            ArrivalSchedule.DailyCount(day: Self.day(1), count: 4),
            ArrivalSchedule.DailyCount(day: Self.day(2), count: 0),
        ]
        let schedule = ArrivalSchedule(.daily(counts), start: Self.monday, days: 7, limit: .max, businessHours: Self.hours)
        #expect(schedule.perDay == [0, 4, 0, 0, 0, 3, 0])
        // Four over eight hours: 09:00, 11:00, 13:00, 15:00 on Tuesday.
        let tuesday = Self.monday.addingTimeInterval(86_400)
        #expect(Array(schedule.times.prefix(4)) == [0, 2, 4, 6].map { tuesday.addingTimeInterval(Double($0) * 3600) })
        #expect(schedule.summary == "3 dates from a file")
    }

    @Test func arrivalsBeforeTheStartWaitForItAndThoseAfterTheRunDoNotHappen() {
        // Monday 13:00: the morning's slots of Monday arrive at 13:00.
        let start = Self.monday.addingTimeInterval(4 * 3600)
        let counts = [ArrivalSchedule.DailyCount(day: Self.day(0), count: 8), ArrivalSchedule.DailyCount(day: Self.day(3), count: 5)]
        let schedule = ArrivalSchedule(.daily(counts), start: start, days: 3, limit: .max, businessHours: Self.hours)
        #expect(schedule.times.count == 8)
        #expect(schedule.times.prefix(5).allSatisfy { $0 == start })
        #expect(schedule.times[5] == start.addingTimeInterval(3600))
        #expect(schedule.perDay == [8, 0, 0])
    }

    @Test("the paced starts walk the days once and land where each lead's own sum of business time does")
    func pacedStartsMatchTheirDefinition() async {
        await propertyCheck(count: 60, input: Gen.int(in: 1...2_000), Gen.int(in: 0...(14 * 24)), Gen.int(in: 1...600)) { perDay, startHour, count in
            let start = Self.monday.addingTimeInterval(Double(startHour) * 3600 + 1234)
            let pace = EnrollmentPace.perBusinessDay(perDay)
            let starts = pace.starts(count: count, from: start, businessHours: Self.hours)
            // Each start on its own: the opening at or after the start plus the lead's offset.
            let first = Self.hours.nextOpening(atOrAfter: start, leadZone: nil)
            let expected = (0..<count).map { index -> Date in
                let offset = index * 8 * 3600 / perDay
                guard offset > 0 else { return first }
                let at = Self.hours.adding(windowSeconds: offset, to: first, leadZone: nil)
                return Self.hours.contains(at, leadZone: nil) ? at : Self.hours.nextOpening(atOrAfter: at, leadZone: nil)
            }
            #expect(starts == expected, "\(perDay)/day from hour \(startHour), \(count) leads")
        }
    }

    @Test("a rate: never on a non-business day, never more than the rate a day, in order, and within the run")
    func rateProperties() async {
        await propertyCheck(
            count: 60, input: Gen.int(in: 1...500), Gen.int(in: 0...(10 * 24)), Gen.int(in: 1...40), Gen.int(in: 1...20_000)
        ) { perDay, startHour, days, limit in
            let start = Self.monday.addingTimeInterval(Double(startHour) * 3600)
            let schedule = ArrivalSchedule(.perBusinessDay(perDay), start: start, days: days, limit: limit, businessHours: Self.hours)
            let first = Self.clock.dayAndSecond(start).day
            #expect(schedule.times.allSatisfy { Self.hours.contains($0, leadZone: nil) && $0 >= start })
            #expect(zip(schedule.times, schedule.times.dropFirst()).allSatisfy { $0 <= $1 })
            #expect(schedule.times.count <= limit)
            #expect(schedule.perDay.reduce(0, +) == schedule.times.count)
            for (index, count) in schedule.perDay.enumerated() {
                #expect(count <= perDay)
                if !Self.hours.days.contains(Weekday.of(localDay: first + Int64(index))) { #expect(count == 0) }
            }
        }
    }

    @Test("dates: as many arrive as the counts add up to, each on its date, in order")
    func dailyProperties() async {
        let row = zip(Gen.int(in: 0...29), Gen.int(in: 0...400))
        await propertyCheck(count: 60, input: row.array(of: 0...30)) { rows in
            var byDay: [Int: Int] = [:]
            for (day, count) in rows { byDay[day] = count }  // a date once, as the file requires
            let counts = byDay.map { ArrivalSchedule.DailyCount(day: Self.day(Int64($0.key)), count: $0.value) }
            let schedule = ArrivalSchedule(.daily(counts), start: Self.monday, days: 30, limit: .max, businessHours: Self.hours)
            #expect(schedule.times.count == byDay.values.reduce(0, +))
            #expect(schedule.perDay == (0..<30).map { byDay[$0] ?? 0 })
            #expect(zip(schedule.times, schedule.times.dropFirst()).allSatisfy { $0 <= $1 })
        }
    }
}

extension ArrivalScheduleTests {
    @Test func outlandishArgumentsAreBoundedNotTrusted() {
        let huge = ArrivalSchedule(.perBusinessDay(.max), start: Self.monday, days: .max, limit: 50, businessHours: Self.hours)
        #expect(huge.times.count == 50)
        #expect(huge.perDay.count == ArrivalSchedule.maxDays)
        let none = ArrivalSchedule(.perBusinessDay(10), start: Self.monday, days: -3, limit: -1, businessHours: Self.hours)
        #expect(none.times.isEmpty && none.perDay.isEmpty)
    }
}
