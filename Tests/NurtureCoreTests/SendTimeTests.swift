import Foundation
import NurtureTestSupport
import Testing
@testable import NurtureCore

/// When the engine sends: inside the sequence's window on the lead's own clock, at the next opening
/// when an email is reached outside it, and with calendar-day waits that keep the wall-clock time.
@Suite("Send times")
struct SendTimeTests {
    /// Monday to Friday, 09:00-17:00; New York unless the lead has a zone of its own.
    static func drip(zone: TimeZone = Zone.newYork, days: [Weekday] = weekdays, hours: String = "09:00-17:00") -> NurtureSequence {
        sequence("drip", window: window(days, hours, zone), steps: [
            .email("first"), .wait("pause", "3d"), .email("second"), .wait("again", "1d"), .email("third"),
        ])
    }

    func sends(_ sequence: NurtureSequence, lead: Lead, enrollAt start: Date) -> [Date] {
        var run = Run(Fixtures.definitions([sequence]), lead: lead, at: start)
        run.replay([(start, .enroll(sequence: sequence.id))], until: start.plus(days: 40))
        for send in run.sends {
            #expect(sequence.sendWindow.contains(send.at, leadZone: lead.timeZone))
        }
        return run.sends.map(\.at)
    }

    @Test func threeDayWaitKeepsTheWallClockInMarch() {
        // Friday 6 March 10:00 EST -> Monday 9 March 10:00 EDT -> Tuesday 10:00 EDT.
        #expect(sends(Self.drip(), lead: Fixtures.lead(zone: Zone.newYork), enrollAt: utc(2026, 3, 6, 15)) ==
            [utc(2026, 3, 6, 15), utc(2026, 3, 9, 14), utc(2026, 3, 10, 14)])
    }

    @Test func threeDayWaitKeepsTheWallClockInNovember() {
        // Friday 30 October 10:00 EDT -> Monday 2 November 10:00 EST -> Tuesday 10:00 EST.
        #expect(sends(Self.drip(), lead: Fixtures.lead(zone: Zone.newYork), enrollAt: utc(2026, 10, 30, 14)) ==
            [utc(2026, 10, 30, 14), utc(2026, 11, 2, 15), utc(2026, 11, 3, 15)])
    }

    @Test func reachedOutsideTheWindowSendsAtTheNextOpening() {
        // Friday 6 March 18:00 EST -> Monday 9 March 09:00 EDT; 3d later Thursday 09:00; then Friday.
        let start = utc(2026, 3, 6, 23)
        var run = Run(Fixtures.definitions([Self.drip()]), lead: Fixtures.lead(zone: Zone.newYork), at: start)
        let first = run.step(.enroll(sequence: "drip"), at: start)
        #expect(first == [.enrolled(sequence: "drip"), .wake(sequence: "drip", at: utc(2026, 3, 9, 13))])
        run.replay(until: start.plus(days: 40))
        #expect(run.sends.map(\.at) == [utc(2026, 3, 9, 13), utc(2026, 3, 12, 13), utc(2026, 3, 13, 13)])
        // The key of a delayed send is still the enrollment's start.
        #expect(run.sends.allSatisfy { $0.enrolledAt == start })
    }

    @Test func reachedOutsideTheWindowInNovember() {
        // Saturday 31 October 12:00 EDT -> Monday 2 November 09:00 EST.
        #expect(sends(Self.drip(), lead: Fixtures.lead(zone: Zone.newYork), enrollAt: utc(2026, 10, 31, 16)).first == utc(2026, 11, 2, 14))
        // Sunday 1 November 01:30 EDT, inside the repeated hour.
        #expect(sends(Self.drip(), lead: Fixtures.lead(zone: Zone.newYork), enrollAt: utc(2026, 11, 1, 5, 30)).first == utc(2026, 11, 2, 14))
    }

    @Test func sydneyLeadWhenDaylightSavingEnds() {
        // Friday 3 April 19:00 AEDT -> Monday 6 April 09:00 AEST (Sunday 23:00Z); 3d -> Thursday 09:00 AEST.
        #expect(sends(Self.drip(), lead: Fixtures.lead(zone: Zone.sydney), enrollAt: utc(2026, 4, 3, 8)) ==
            [utc(2026, 4, 5, 23), utc(2026, 4, 8, 23), utc(2026, 4, 9, 23)])
        // Thursday 2 April 10:00 AEDT -> 3d -> Sunday, outside the window -> Monday 09:00 AEST.
        #expect(sends(Self.drip(), lead: Fixtures.lead(zone: Zone.sydney), enrollAt: utc(2026, 4, 1, 23)) ==
            [utc(2026, 4, 1, 23), utc(2026, 4, 5, 23), utc(2026, 4, 6, 23)])
    }

    @Test func sydneyLeadWhenDaylightSavingStarts() {
        // Friday 2 October 18:00 AEST -> Monday 5 October 09:00 AEDT (Sunday 22:00Z).
        #expect(sends(Self.drip(), lead: Fixtures.lead(zone: Zone.sydney), enrollAt: utc(2026, 10, 2, 8)) ==
            [utc(2026, 10, 4, 22), utc(2026, 10, 7, 22), utc(2026, 10, 8, 22)])
        // Thursday 1 October 11:00 AEST -> 3d -> Sunday 11:00 AEDT, closed -> Monday 09:00 AEDT; then Tuesday 09:00.
        #expect(sends(Self.drip(), lead: Fixtures.lead(zone: Zone.sydney), enrollAt: utc(2026, 10, 1, 1)) ==
            [utc(2026, 10, 1, 1), utc(2026, 10, 4, 22), utc(2026, 10, 5, 22)])
    }

    @Test func kolkataLead() {
        // Saturday 7 March 15:30 IST -> Monday 9 March 09:00 IST (03:30Z); 3d -> Thursday 09:00 IST.
        #expect(sends(Self.drip(), lead: Fixtures.lead(zone: Zone.kolkata), enrollAt: utc(2026, 3, 7, 10)) ==
            [utc(2026, 3, 9, 3, 30), utc(2026, 3, 12, 3, 30), utc(2026, 3, 13, 3, 30)])
        // New York's DST change does not move a Kolkata lead's sends: Friday 16:00 IST on both sides.
        #expect(sends(Self.drip(), lead: Fixtures.lead(zone: Zone.kolkata), enrollAt: utc(2026, 3, 6, 10, 30)) ==
            [utc(2026, 3, 6, 10, 30), utc(2026, 3, 9, 10, 30), utc(2026, 3, 10, 10, 30)])
    }

    @Test func leadWithoutZoneFallsBackToTheWindowZone() {
        #expect(sends(Self.drip(zone: Zone.newYork), lead: Fixtures.lead(zone: nil), enrollAt: utc(2026, 3, 6, 23)) ==
            [utc(2026, 3, 9, 13), utc(2026, 3, 12, 13), utc(2026, 3, 13, 13)])
        #expect(sends(Self.drip(zone: Zone.sydney), lead: Fixtures.lead(zone: nil), enrollAt: utc(2026, 4, 3, 8)) ==
            [utc(2026, 4, 5, 23), utc(2026, 4, 8, 23), utc(2026, 4, 9, 23)])
        // The same window for a lead with a zone of its own follows the lead.
        #expect(sends(Self.drip(zone: Zone.sydney), lead: Fixtures.lead(zone: Zone.newYork), enrollAt: utc(2026, 3, 6, 23)) ==
            [utc(2026, 3, 9, 13), utc(2026, 3, 12, 13), utc(2026, 3, 13, 13)])
    }

    @Test func tuesdayToThursdayOnly() {
        let tueThu = Self.drip(days: [.tuesday, .wednesday, .thursday], hours: "09:00-16:00")
        // Thursday 12 March 16:30 EDT -> Tuesday 17 March 09:00; 3d -> Friday, closed -> Tuesday 24 March;
        // 1d -> Wednesday 25 March.
        #expect(sends(tueThu, lead: Fixtures.lead(zone: Zone.newYork), enrollAt: utc(2026, 3, 12, 20, 30)) ==
            [utc(2026, 3, 17, 13), utc(2026, 3, 24, 13), utc(2026, 3, 25, 13)])
    }

    @Test func aBlockedEmailWaitsWithoutBlockingLaterStepsOfOtherSequences() {
        let evening = sequence("evening", window: window(weekdays, "18:00-20:00", Zone.newYork), steps: [.email("late")])
        let now = sequence("now", steps: [.email("soon")])
        let start = utc(2026, 3, 10, 14)
        var run = Run(Fixtures.definitions([evening, now]), lead: Fixtures.lead(zone: Zone.newYork), at: start)
        run.replay([(start, .enroll(sequence: "evening")), (start, .enroll(sequence: "now"))], until: start.plus(days: 3))
        #expect(run.sends.map(\.step) == ["soon", "late"])
        #expect(run.sends.map(\.at) == [start, utc(2026, 3, 10, 22)])
    }
}
