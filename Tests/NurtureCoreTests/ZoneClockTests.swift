import Foundation
import NurtureTestSupport
import Testing
@testable import NurtureCore

/// Wall-clock arithmetic across daylight-saving changes. 2026 changes: New York springs forward on
/// 8 March (02:00 EST -> 03:00 EDT) and falls back on 1 November (02:00 EDT -> 01:00 EST); Sydney
/// falls back on 5 April (03:00 AEDT -> 02:00 AEST) and springs forward on 4 October (02:00 AEST ->
/// 03:00 AEDT); Kolkata is +05:30 all year.
@Suite("ZoneClock")
struct ZoneClockTests {
    @Test func platformHasTheExpectedTransitions() {
        #expect(Zone.newYork.secondsFromGMT(for: utc(2026, 3, 8, 6, 59)) == -5 * 3600)
        #expect(Zone.newYork.secondsFromGMT(for: utc(2026, 3, 8, 7, 0)) == -4 * 3600)
        #expect(Zone.newYork.secondsFromGMT(for: utc(2026, 11, 1, 5, 59)) == -4 * 3600)
        #expect(Zone.newYork.secondsFromGMT(for: utc(2026, 11, 1, 6, 0)) == -5 * 3600)
        #expect(Zone.sydney.secondsFromGMT(for: utc(2026, 4, 4, 15, 59)) == 11 * 3600)
        #expect(Zone.sydney.secondsFromGMT(for: utc(2026, 4, 4, 16, 0)) == 10 * 3600)
        #expect(Zone.sydney.secondsFromGMT(for: utc(2026, 10, 3, 15, 59)) == 10 * 3600)
        #expect(Zone.sydney.secondsFromGMT(for: utc(2026, 10, 3, 16, 0)) == 11 * 3600)
        #expect(Zone.kolkata.secondsFromGMT(for: utc(2026, 3, 8)) == 19_800)
    }

    @Test func localSecondsAndWeekday() {
        let clock = ZoneClock(Zone.newYork)
        // Friday 6 March 2026, 15:00 UTC = 10:00 EST.
        #expect(clock.localSeconds(utc(2026, 3, 6, 15)) == localSeconds(2026, 3, 6, 10))
        #expect(clock.weekday(utc(2026, 3, 6, 15)) == .friday)
        // 02:00 UTC on Saturday is still Friday evening in New York.
        #expect(clock.weekday(utc(2026, 3, 7, 2)) == .friday)
        let (day, second) = clock.dayAndSecond(utc(2026, 3, 6, 15, 30))
        #expect(second == 10 * 3600 + 30 * 60)
        #expect(day == localSeconds(2026, 3, 6) / 86_400)
        #expect(ZoneClock(Zone.kolkata).dayAndSecond(utc(2026, 3, 9, 0)).second == 5 * 3600 + 30 * 60)
        // Before 1970: day numbers stay floor-divided.
        #expect(ZoneClock(Zone.utc).dayAndSecond(Date(timeIntervalSince1970: -1)) == (-1, 86_399))
    }

    @Test func ordinaryWallClockTimesRoundTrip() {
        for zone in [Zone.newYork, Zone.sydney, Zone.kolkata, Zone.utc] {
            let clock = ZoneClock(zone)
            for instant in [utc(2026, 1, 15, 12), utc(2026, 7, 1, 3, 17), utc(2026, 3, 9, 13), utc(2026, 10, 5, 22)] {
                #expect(clock.instant(localSeconds: clock.localSeconds(instant)) == instant)
            }
        }
    }

    @Test func springForwardGapMovesLaterByTheGap() {
        // 02:30 does not exist on either day: it becomes 03:30 daylight time.
        #expect(ZoneClock(Zone.newYork).instant(localSeconds: localSeconds(2026, 3, 8, 2, 30)) == utc(2026, 3, 8, 7, 30))
        #expect(ZoneClock(Zone.sydney).instant(localSeconds: localSeconds(2026, 10, 4, 2, 30)) == utc(2026, 10, 3, 16, 30))
    }

    @Test func fallBackOverlapTakesTheFirstOccurrence() {
        // 01:30 happens twice in New York (05:30Z EDT, 06:30Z EST); 02:30 twice in Sydney (15:30Z AEDT, 16:30Z AEST).
        #expect(ZoneClock(Zone.newYork).instant(localSeconds: localSeconds(2026, 11, 1, 1, 30)) == utc(2026, 11, 1, 5, 30))
        #expect(ZoneClock(Zone.sydney).instant(localSeconds: localSeconds(2026, 4, 5, 2, 30)) == utc(2026, 4, 4, 15, 30))
    }

    @Test func calendarDaysKeepTheWallClockAcrossDST() {
        let ny = ZoneClock(Zone.newYork)
        // Friday 10:00 EST + 3d = Monday 10:00 EDT: 71 elapsed hours.
        #expect(ny.adding(span("3d"), to: utc(2026, 3, 6, 15)) == utc(2026, 3, 9, 14))
        // Friday 10:00 EDT + 3d = Monday 10:00 EST: 73 elapsed hours.
        #expect(ny.adding(span("3d"), to: utc(2026, 10, 30, 14)) == utc(2026, 11, 2, 15))
        // Weeks are calendar days too.
        #expect(ny.adding(span("1w"), to: utc(2026, 3, 2, 15)) == utc(2026, 3, 9, 14))

        let sydney = ZoneClock(Zone.sydney)
        // Friday 10:00 AEDT (Thursday 23:00Z) + 3d = Monday 10:00 AEST (00:00Z).
        #expect(sydney.adding(span("3d"), to: utc(2026, 4, 2, 23)) == utc(2026, 4, 6, 0))
        // Friday 10:00 AEST (00:00Z) + 3d = Monday 10:00 AEDT (Sunday 23:00Z).
        #expect(sydney.adding(span("3d"), to: utc(2026, 10, 2, 0)) == utc(2026, 10, 4, 23))
        // A day that ends inside the gap lands after it.
        #expect(sydney.adding(span("1d"), to: utc(2026, 10, 2, 16, 30)) == utc(2026, 10, 3, 16, 30))

        // No DST in Kolkata: 3 days are 72 hours.
        #expect(ZoneClock(Zone.kolkata).adding(span("3d"), to: utc(2026, 3, 6, 4, 30)) == utc(2026, 3, 9, 4, 30))
    }

    @Test func hoursAndMinutesAreElapsedTime() {
        let ny = ZoneClock(Zone.newYork)
        // Saturday 12:00 EST + 24h = Sunday 13:00 EDT.
        #expect(ny.adding(span("24h"), to: utc(2026, 3, 7, 17)) == utc(2026, 3, 8, 17))
        // 1d12h: the day keeps the wall clock, then 12 elapsed hours.
        #expect(ny.adding(span("1d12h"), to: utc(2026, 3, 7, 17)) == utc(2026, 3, 9, 4))
        #expect(ny.adding(span("30m"), to: utc(2026, 11, 1, 5, 45)) == utc(2026, 11, 1, 6, 15))
        // Sub-second parts survive calendar arithmetic.
        let start = utc(2026, 3, 6, 15).addingTimeInterval(0.25)
        #expect(ny.adding(span("3d"), to: start) == utc(2026, 3, 9, 14).addingTimeInterval(0.25))
    }

    /// The zones' tables are built once and read by every thread through a pointer: clocks made and
    /// read on many threads at once give the zone's own offsets, inside the table and past it.
    @Test func clocksOnManyThreadsAgreeWithTheZone() async {
        let zones = [Zone.newYork, Zone.sydney, Zone.kolkata, Zone.utc]
        let instants = [utc(1950, 6, 1), utc(2026, 3, 8, 7), utc(2026, 11, 1, 5, 59), utc(2150, 7, 1)]
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var mismatches = 0
                    for round in 0..<200 {
                        let zone = zones[(task + round) % zones.count]
                        let clock = ZoneClock(zone)
                        for instant in instants {
                            let expected = Int64(instant.timeIntervalSince1970) + Int64(zone.secondsFromGMT(for: instant))
                            if clock.localSeconds(instant) != expected { mismatches += 1 }
                        }
                        if clock.zone != zone { mismatches += 1 }
                    }
                    return mismatches
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }
}
