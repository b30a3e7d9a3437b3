import Foundation
import NurtureTestSupport
import Testing
@testable import NurtureCore

/// Who may enter a sequence, and when again: audience, one active enrollment per sequence, re-entry.
@Suite("Enrollment")
struct EnrollmentTests {
    /// Monday 2 March 2026, 10:00 EST.
    let t0 = utc(2026, 3, 2, 15)

    static func short(_ id: String, audience: String? = nil, reentry: Reentry = .never) -> NurtureSequence {
        sequence(id, audience: audience, reentry: reentry, steps: [.email("hello"), .wait("w", "2d"), .email("bye")])
    }

    func run(_ sequences: [NurtureSequence], lead: Lead = Fixtures.lead(.C)) -> Run {
        Run(Fixtures.definitions(sequences), lead: lead, at: t0)
    }

    @Test func audienceRefusal() {
        let audience = "stage in [lead, recycled] and not replied"
        var run = run([Self.short("webinar", audience: audience)])
        run.step(.event(EngagementEvent(.reply)), at: t0)
        #expect(run.step(.enroll(sequence: "webinar"), at: t0.plus(hours: 1)) ==
            [.enrollmentRefused(sequence: "webinar", reason: .notInAudience(condition(audience)))])
        #expect(run.state.enrollments.isEmpty)

        var sal = self.run([Self.short("webinar", audience: audience)], lead: Fixtures.lead(.C, stage: "sal"))
        #expect(sal.step(.enroll(sequence: "webinar"), at: t0).first ==
            .enrollmentRefused(sequence: "webinar", reason: .notInAudience(condition(audience))))

        var fresh = self.run([Self.short("webinar", audience: audience)])
        #expect(fresh.step(.enroll(sequence: "webinar"), at: t0).first == .enrolled(sequence: "webinar"))
    }

    @Test func audienceSeesTheScoreAtTheMomentOfEnrollment() {
        var run = run([Self.short("warm", audience: "engagement >= 15")])
        run.step(.event(EngagementEvent(.reply)), at: t0)
        // 20 points halve to 10 in 30 days: too cold by then.
        #expect(run.step(.enroll(sequence: "warm"), at: t0.plus(days: 30)).first ==
            .enrollmentRefused(sequence: "warm", reason: .notInAudience(condition("engagement >= 15"))))
        #expect(run.step(.enroll(sequence: "warm"), at: t0.plus(days: 1)).first == .enrolled(sequence: "warm"))
    }

    @Test func unknownSequence() {
        var run = run([])
        #expect(run.step(.enroll(sequence: "nope"), at: t0) == [.enrollmentRefused(sequence: "nope", reason: .unknownSequence)])
    }

    @Test func oneActiveEnrollmentPerSequence() {
        var run = run([Self.short("s", reentry: .always), Self.short("other")])
        #expect(run.step(.enroll(sequence: "s"), at: t0).first == .enrolled(sequence: "s"))
        #expect(run.step(.enroll(sequence: "s"), at: t0.plus(days: 1)) == [.enrollmentRefused(sequence: "s", reason: .alreadyEnrolled)])
        // Another sequence is fine.
        #expect(run.step(.enroll(sequence: "other"), at: t0.plus(days: 1)).first == .enrolled(sequence: "other"))
        #expect(run.state.enrollments.map(\.sequence) == ["s", "other"])
    }

    @Test func reentryNever() {
        var run = run([Self.short("s")])
        run.replay([(t0, .enroll(sequence: "s"))], until: t0.plus(days: 5))
        #expect(run.enrollment("s")?.status == .completed)
        #expect(run.step(.enroll(sequence: "s"), at: t0.plus(days: 400)) ==
            [.enrollmentRefused(sequence: "s", reason: .reentryNotAllowed(until: nil))])
        #expect(EnrollmentRefusal.reentryNotAllowed(until: nil).description == "was enrolled before and re-entry is not allowed")
    }

    @Test func reentryAlways() {
        var run = run([Self.short("s", reentry: .always)])
        let second = t0.plus(days: 5)
        run.replay([(t0, .enroll(sequence: "s")), (second, .enroll(sequence: "s"))], until: t0.plus(days: 10))
        #expect(run.state.enrollments.count == 2)
        #expect(run.sends.map(\.step) == ["hello", "bye", "hello", "bye"])
        // Each enrollment keys its own sends.
        #expect(run.sends.map(\.enrolledAt) == [t0, t0, second, second])
    }

    @Test func reentryAfterASpan() {
        var run = run([Self.short("s", reentry: .after(span("90d")))])
        run.replay([(t0, .enroll(sequence: "s"))], until: t0.plus(days: 5))
        // 90 calendar days in the lead's zone: Sunday 31 May 10:00 EDT.
        let allowed = utc(2026, 5, 31, 14)
        #expect(run.step(.enroll(sequence: "s"), at: t0.plus(days: 30)) ==
            [.enrollmentRefused(sequence: "s", reason: .reentryNotAllowed(until: allowed))])
        #expect(run.step(.enroll(sequence: "s"), at: allowed.plus(minutes: -1)).first ==
            .enrollmentRefused(sequence: "s", reason: .reentryNotAllowed(until: allowed)))
        #expect(run.step(.enroll(sequence: "s"), at: allowed).first == .enrolled(sequence: "s"))
        #expect(run.state.enrollments.map(\.enrolledAt) == [t0, allowed])
    }

    @Test func reentryAfterCountsFromTheLastEnrollment() {
        var run = run([Self.short("s", reentry: .after(span("10d")))])
        run.replay([(t0, .enroll(sequence: "s")), (t0.plus(days: 10), .enroll(sequence: "s"))], until: t0.plus(days: 15))
        #expect(run.step(.enroll(sequence: "s"), at: t0.plus(days: 15)).first ==
            .enrollmentRefused(sequence: "s", reason: .reentryNotAllowed(until: t0.plus(days: 20))))
    }

    @Test func reentryAlwaysAtTheSameInstantNeverRepeatsASendKey() {
        // An enrollment that exits at the instant it started, then a new one at that same instant:
        // each email is keyed by (sequence, step, enrolledAt), so the same key must not be sent twice.
        let quick = sequence("quick", reentry: .always, exits: [.event(.reply)],
                             steps: [.email("hello"), .wait("w", "2d"), .email("bye")])
        var run = run([quick])
        run.step(.enroll(sequence: "quick"), at: t0)
        run.step(.event(EngagementEvent(.reply)), at: t0)
        run.step(.enroll(sequence: "quick"), at: t0)
        run.replay(until: t0.plus(days: 10))
        let keys = run.sends.map { "\($0.sequence)/\($0.step)/\($0.enrolledAt.timeIntervalSince1970)" }
        #expect(Set(keys).count == keys.count, "\(keys)")
        // The second enrollment is refused until the instant has passed; a second later it is fine.
        #expect(run.entries[2].effects == [
            .enrollmentRefused(sequence: "quick", reason: .reentryNotAllowed(until: t0.addingTimeInterval(1))),
        ])
        #expect(run.step(.enroll(sequence: "quick"), at: t0.addingTimeInterval(1)).first == .enrolled(sequence: "quick"))
    }

    @Test func refusalDescriptions() {
        #expect(EnrollmentRefusal.unknownSequence.description == "no such sequence")
        #expect(EnrollmentRefusal.suppressed(.hardBounce).description == "address suppressed (hard_bounce)")
        #expect(EnrollmentRefusal.alreadyEnrolled.description == "already enrolled")
        #expect(EnrollmentRefusal.notInAudience(condition("stage == lead")).description == "outside the audience (stage == lead)")
        #expect(Reentry.after(span("90d")).description == "after 90 days")
        #expect(Reentry.never.description == "never")
    }
}
