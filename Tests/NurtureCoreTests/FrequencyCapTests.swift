import Foundation
import NurtureTestSupport
import Testing
@testable import NurtureCore

/// A frequency cap counts the emails of every sequence: a lead in two sequences never gets more than
/// `emails` within any `per`, and a blocked email goes out as soon as the older send ages out.
@Suite("Frequency caps")
struct FrequencyCapTests {
    /// Monday 2 March 2026, 09:00 EST.
    let t0 = utc(2026, 3, 2, 14)

    /// Sends in `(t - per, t]`, for every send `t`, never exceed the cap.
    func expectWithinCap(_ times: [Date], emails: Int, per seconds: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        for time in times {
            let recent = times.filter { $0 > time.addingTimeInterval(-seconds) && $0 <= time }
            #expect(recent.count <= emails, "\(recent.count) sends in the \(seconds)s before \(time)", sourceLocation: sourceLocation)
        }
    }

    @Test func twoSequencesShareTheCap() {
        let cap = FrequencyCap(emails: 3, per: span("7d"))
        let alpha = sequence("alpha", cap: cap, steps: [.email("a1"), .wait("w1", "1d"), .email("a2"), .wait("w2", "1d"), .email("a3")])
        let beta = sequence("beta", cap: cap, steps: [.email("b1"), .wait("w1", "1d"), .email("b2")])
        var run = Run(Fixtures.definitions([alpha, beta]), lead: Fixtures.lead(zone: Zone.newYork), at: t0)
        run.replay([(t0, .enroll(sequence: "alpha")), (t0, .enroll(sequence: "beta"))], until: t0.plus(days: 30))

        let sent = run.sends.map { "\($0.step)@\($0.at.timeIntervalSince(t0) / 3600)h" }
        // a1, b1 at t0 and a2 a day later fill the cap. b2 (due t0+1d) and a3 (due t0+2d) wait until
        // the two t0 sends are 7 days old: both go out at t0+7d exactly.
        #expect(sent == ["a1@0.0h", "b1@0.0h", "a2@24.0h", "a3@168.0h", "b2@168.0h"])
        expectWithinCap(run.sends.map(\.at), emails: 3, per: 7 * 86_400)
        // The blocked step asked to be woken exactly when the cap frees up.
        let blocked = run.entries.first { $0.at == t0.plus(days: 1) }!.effects
        #expect(blocked.contains(.wake(sequence: "beta", at: t0.plus(days: 7))))
        #expect(run.enrollment("alpha")?.status == .completed)
        #expect(run.enrollment("beta")?.status == .completed)
    }

    @Test func blockedEmailWaitsForBothTheCapAndTheWindow() {
        let cap = FrequencyCap(emails: 2, per: span("3d"))
        let newYork = window(weekdays, "09:00-17:00", Zone.newYork)
        let alpha = sequence("alpha", window: newYork, cap: cap, steps: [.email("a1"), .wait("w", "1d"), .email("a2")])
        let beta = sequence("beta", window: newYork, cap: cap, steps: [.email("b1")])
        // Wednesday 11 March 10:00 and 11:00 EDT.
        let wednesday = utc(2026, 3, 11, 14)
        var run = Run(Fixtures.definitions([alpha, beta]), lead: Fixtures.lead(zone: Zone.newYork), at: wednesday)
        run.replay([(wednesday, .enroll(sequence: "alpha")), (wednesday.plus(hours: 1), .enroll(sequence: "beta"))],
                   until: wednesday.plus(days: 30))
        // a2 is due Thursday; a1 ages out Saturday 10:00 EDT, outside the window: Monday 09:00 EDT.
        #expect(run.sends.map(\.step) == ["a1", "b1", "a2"])
        #expect(run.sends.map(\.at) == [wednesday, wednesday.plus(hours: 1), utc(2026, 3, 16, 13)])
    }

    @Test func aSequenceWithoutACapIsNotHeldBackButStillCounts() {
        let capped = sequence("capped", cap: FrequencyCap(emails: 1, per: span("2d")), steps: [.wait("w", "1h"), .email("c1")])
        let free = sequence("free", steps: [.email("f1"), .email("f2")])
        var run = Run(Fixtures.definitions([capped, free]), lead: Fixtures.lead(), at: t0)
        run.replay([(t0, .enroll(sequence: "capped")), (t0, .enroll(sequence: "free"))], until: t0.plus(days: 10))
        // f1 and f2 go at once; c1 (due t0+1h) waits until f2 is two days old.
        #expect(run.sends.map(\.step) == ["f1", "f2", "c1"])
        #expect(run.sends.map(\.at) == [t0, t0, t0.plus(days: 2)])
    }

    @Test func capsAreCountedInElapsedTime() {
        // 7 days of cap across the March change are 168 elapsed hours (not calendar days).
        let cap = FrequencyCap(emails: 1, per: span("7d"))
        let one = sequence("one", cap: cap, steps: [.email("x1"), .wait("w", "1d"), .email("x2")])
        let friday = utc(2026, 3, 6, 15)
        var run = Run(Fixtures.definitions([one]), lead: Fixtures.lead(zone: Zone.newYork), at: friday)
        run.replay([(friday, .enroll(sequence: "one"))], until: friday.plus(days: 30))
        #expect(run.sends.map(\.at) == [friday, friday.plus(days: 7)])
    }

    @Test func manySequencesNeverExceedTheCap() {
        let cap = FrequencyCap(emails: 2, per: span("7d"))
        let sequences = (0..<4).map { n in
            sequence("s\(n)", window: window(weekdays, "09:00-17:00", Zone.newYork), cap: cap, steps: [
                .email("e1"), .wait("w1", "\(n + 1)d"), .email("e2"), .wait("w2", "2d"), .email("e3"),
            ])
        }
        var run = Run(Fixtures.definitions(sequences), lead: Fixtures.lead(zone: Zone.sydney), at: t0)
        run.replay((0..<4).map { (t0.plus(hours: Double($0 * 5)), .enroll(sequence: "s\($0)")) }, until: t0.plus(days: 120))
        #expect(run.sends.count == 12)
        expectWithinCap(run.sends.map(\.at), emails: 2, per: 7 * 86_400)
        for send in run.sends {
            #expect(sequences[0].sendWindow.contains(send.at, leadZone: Zone.sydney))
        }
    }

    // The rule on its own: when one more email may go, given the recent sends.

    @Test func roomAtOnceWhileThePeriodHoldsFewerThanTheCap() {
        let cap = FrequencyCap(emails: 2, per: span("7d"))
        #expect(cap.nextRoom(at: t0, recentSends: []) == t0)
        #expect(cap.nextRoom(at: t0, recentSends: [t0.plus(days: -1)]) == t0)
        // A send exactly one period back has aged out.
        #expect(cap.nextRoom(at: t0, recentSends: [t0.plus(days: -7), t0.plus(days: -1)]) == t0)
    }

    @Test func fullPeriodWaitsForItsOldestSendToAgeOut() {
        let cap = FrequencyCap(emails: 2, per: span("7d"))
        let sends = [t0.plus(days: -9), t0.plus(days: -5), t0.plus(days: -1)]
        #expect(cap.nextRoom(at: t0, recentSends: sends) == t0.plus(days: 2))
        // Asked again at that instant, there is room.
        #expect(cap.nextRoom(at: t0.plus(days: 2), recentSends: sends) == t0.plus(days: 2))
    }

    @Test func periodHoldingMoreThanTheCapWaitsUntilOnlyCapMinusOneRemain() {
        // Three sends in the period (the cap was lowered): two must age out before a third may go.
        let cap = FrequencyCap(emails: 2, per: span("7d"))
        let sends = [t0.plus(days: -6), t0.plus(days: -4), t0.plus(days: -1)]
        #expect(cap.nextRoom(at: t0, recentSends: sends) == t0.plus(days: 3))
    }
}
