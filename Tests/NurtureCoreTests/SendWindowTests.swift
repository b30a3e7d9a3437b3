import Foundation
import NurtureTestSupport
import Testing
@testable import NurtureCore

@Suite("SendWindow")
struct SendWindowTests {
    let newYorkWeekdays = window(weekdays, "09:00-17:00", Zone.newYork)

    @Test func parsesHours() {
        #expect(SendWindow.parseHours("09:00-16:00")! == (32_400, 57_600))
        #expect(SendWindow.parseHours("9:30 - 16:00")! == (34_200, 57_600))
        #expect(SendWindow.parseHours("00:00-24:00")! == (0, 86_400))
        for bad in ["16:00-09:00", "09:00-09:00", "09:00", "09:00-", "9-17", "25:00-26:00", "09:60-10:00", "24:30-24:45", "0900-1700", "09:00-17:00-18:00"] {
            #expect(SendWindow.parseHours(bad) == nil, "\(bad)")
        }
    }

    @Test func describesItself() {
        let tueThu = window([.thursday, .tuesday, .wednesday], "09:00-16:30", Zone.newYork)
        #expect(tueThu.hoursDescription == "09:00-16:30")
        #expect(tueThu.daysDescription == "tue, wed, thu")
    }

    @Test func containsIsHalfOpenOnTheLeadsWallClock() {
        // Monday 9 March 2026 (EDT, UTC-4).
        #expect(newYorkWeekdays.contains(utc(2026, 3, 9, 13), leadZone: Zone.newYork))
        #expect(!newYorkWeekdays.contains(utc(2026, 3, 9, 12, 59, 59), leadZone: Zone.newYork))
        #expect(newYorkWeekdays.contains(utc(2026, 3, 9, 20, 59, 59), leadZone: Zone.newYork))
        #expect(!newYorkWeekdays.contains(utc(2026, 3, 9, 21), leadZone: Zone.newYork))
        // Saturday.
        #expect(!newYorkWeekdays.contains(utc(2026, 3, 7, 15), leadZone: Zone.newYork))
        // 13:00Z Monday is 18:30 in Kolkata: closed for a Kolkata lead.
        #expect(!newYorkWeekdays.contains(utc(2026, 3, 9, 13), leadZone: Zone.kolkata))
        #expect(newYorkWeekdays.contains(utc(2026, 3, 9, 3, 30), leadZone: Zone.kolkata))
    }

    @Test func insideTheWindowNextOpeningIsNow() {
        let instant = utc(2026, 3, 10, 15, 12, 7)
        #expect(newYorkWeekdays.nextOpening(atOrAfter: instant, leadZone: Zone.newYork) == instant)
    }

    @Test func newYorkSpringForward() {
        // Friday 6 March 17:30 EST -> Monday 9 March 09:00 EDT, after the change on the 8th.
        #expect(newYorkWeekdays.nextOpening(atOrAfter: utc(2026, 3, 6, 22, 30), leadZone: Zone.newYork) == utc(2026, 3, 9, 13))
        #expect(newYorkWeekdays.nextOpening(atOrAfter: utc(2026, 3, 8, 12), leadZone: Zone.newYork) == utc(2026, 3, 9, 13))
        // Friday morning before the change: 09:00 EST.
        #expect(newYorkWeekdays.nextOpening(atOrAfter: utc(2026, 3, 6, 11), leadZone: Zone.newYork) == utc(2026, 3, 6, 14))
    }

    @Test func newYorkFallBack() {
        // Friday 30 October 17:30 EDT -> Monday 2 November 09:00 EST.
        #expect(newYorkWeekdays.nextOpening(atOrAfter: utc(2026, 10, 30, 21, 30), leadZone: Zone.newYork) == utc(2026, 11, 2, 14))
        #expect(newYorkWeekdays.nextOpening(atOrAfter: utc(2026, 10, 30, 12), leadZone: Zone.newYork) == utc(2026, 10, 30, 13))
    }

    @Test func sydneyAcrossBothChanges() {
        let sydney = window(weekdays, "09:00-17:00", Zone.sydney)
        // Friday 3 April 07:00 AEDT (Thursday 20:00Z) -> 09:00 AEDT (22:00Z).
        #expect(sydney.nextOpening(atOrAfter: utc(2026, 4, 2, 20), leadZone: Zone.sydney) == utc(2026, 4, 2, 22))
        // Friday 3 April 18:00 AEDT -> Monday 6 April 09:00 AEST (Sunday 23:00Z), DST ended on the 5th.
        #expect(sydney.nextOpening(atOrAfter: utc(2026, 4, 3, 7), leadZone: Zone.sydney) == utc(2026, 4, 5, 23))
        // Friday 2 October 18:00 AEST -> Monday 5 October 09:00 AEDT (Sunday 22:00Z), DST started on the 4th.
        #expect(sydney.nextOpening(atOrAfter: utc(2026, 10, 2, 8), leadZone: Zone.sydney) == utc(2026, 10, 4, 22))
        // The same instants for a Sydney lead on a New York window: the lead's zone wins.
        #expect(newYorkWeekdays.nextOpening(atOrAfter: utc(2026, 4, 3, 7), leadZone: Zone.sydney) == utc(2026, 4, 5, 23))
    }

    @Test func kolkataHasAHalfHourOffsetAndNoDST() {
        let nextMonday = utc(2026, 3, 9, 3, 30)
        // Monday 05:30 IST -> 09:00 IST (03:30Z).
        #expect(newYorkWeekdays.nextOpening(atOrAfter: utc(2026, 3, 9, 0), leadZone: Zone.kolkata) == nextMonday)
        // Saturday -> Monday 09:00 IST, the same UTC time of day as in winter or summer.
        #expect(newYorkWeekdays.nextOpening(atOrAfter: utc(2026, 3, 7, 10), leadZone: Zone.kolkata) == nextMonday)
        #expect(newYorkWeekdays.nextOpening(atOrAfter: utc(2026, 11, 1, 10), leadZone: Zone.kolkata) == utc(2026, 11, 2, 3, 30))
    }

    @Test func leadWithoutZoneUsesTheWindowZone() {
        #expect(newYorkWeekdays.nextOpening(atOrAfter: utc(2026, 3, 7, 10), leadZone: nil) == utc(2026, 3, 9, 13))
        let sydney = window(weekdays, "09:00-17:00", Zone.sydney)
        #expect(sydney.nextOpening(atOrAfter: utc(2026, 4, 3, 7), leadZone: nil) == utc(2026, 4, 5, 23))
        #expect(sydney.contains(utc(2026, 4, 5, 23), leadZone: nil))
        #expect(!sydney.contains(utc(2026, 4, 5, 23), leadZone: Zone.newYork))
    }

    @Test func windowDaysTuesdayToThursday() {
        let tueThu = window([.tuesday, .wednesday, .thursday], "09:00-16:00", Zone.newYork)
        // Monday 11:00 EDT -> Tuesday 09:00.
        #expect(tueThu.nextOpening(atOrAfter: utc(2026, 3, 9, 15), leadZone: nil) == utc(2026, 3, 10, 13))
        // Thursday 16:00 (closed: the end is exclusive) -> next Tuesday.
        #expect(tueThu.nextOpening(atOrAfter: utc(2026, 3, 12, 20), leadZone: nil) == utc(2026, 3, 17, 13))
        // Friday, Saturday, Sunday and Monday are never inside.
        for day in 13...16 {
            #expect(!tueThu.contains(utc(2026, 3, day, 15), leadZone: nil))
        }
    }

    @Test func noDaysNeverOpens() {
        let never = SendWindow(days: [], opens: 0, closes: 86_400, timeZone: Zone.utc)
        #expect(never.nextOpening(atOrAfter: utc(2026, 3, 9), leadZone: nil) == .distantFuture)
    }

    @Test func addingBusinessTime() {
        // 8 business hours from Friday 15:00 EDT: 2 on Friday, 6 on Monday -> Monday 15:00 EDT.
        #expect(newYorkWeekdays.adding(windowSeconds: 8 * 3600, to: utc(2026, 3, 13, 19), leadZone: nil) == utc(2026, 3, 16, 19))
        // The same across the spring-forward weekend: Friday 15:00 EST (20:00Z) -> Monday 15:00 EDT (19:00Z).
        #expect(newYorkWeekdays.adding(windowSeconds: 8 * 3600, to: utc(2026, 3, 6, 20), leadZone: nil) == utc(2026, 3, 9, 19))
        // From a Saturday: the count starts at Monday's opening.
        #expect(newYorkWeekdays.adding(windowSeconds: 8 * 3600, to: utc(2026, 3, 14, 15), leadZone: nil) == utc(2026, 3, 16, 21))
        // Exactly the rest of the day ends at the close.
        #expect(newYorkWeekdays.adding(windowSeconds: 2 * 3600, to: utc(2026, 3, 13, 19), leadZone: nil) == utc(2026, 3, 13, 21))
        // Zero seconds from outside the window: the next opening.
        #expect(newYorkWeekdays.adding(windowSeconds: 0, to: utc(2026, 3, 14, 15), leadZone: nil) == utc(2026, 3, 16, 13))
        // 20 business hours from Wednesday 09:00 EDT -> Thursday 17:00 is 16, so Friday 13:00.
        #expect(newYorkWeekdays.adding(windowSeconds: 20 * 3600, to: utc(2026, 3, 11, 13), leadZone: nil) == utc(2026, 3, 13, 17))
    }
}
