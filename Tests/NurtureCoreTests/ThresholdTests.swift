import Foundation
import NurtureTestSupport
import Testing
@testable import NurtureCore

/// Score thresholds during an enrollment: `notify_rep` fires once; `hand_off` moves the lead to the
/// hand-off stage, hands it to its rep with a due date from the service level, and ends the enrollment.
@Suite("Thresholds and hand-off")
struct ThresholdTests {
    static var warm: NurtureSequence {
        sequence("warm", thresholds: [
            Threshold(condition: condition("score >= 50"), action: .notifyRep("{{first_name}} is warming up")),
            Threshold(condition: condition("score >= 80 and fit in [A, B]"), action: .handOff(reason: "Reached MQL")),
        ], steps: [.email("a"), .wait("w", "10d"), .email("b")])
    }

    /// Without the lifecycle's own `score >= 80` move, so the sequence's hand-off is the one that acts.
    func run(_ grade: Fixtures.Grade = .A, owner: Rep? = nil, scoreTransition: Bool = false, at start: Date) -> Run {
        Run(Fixtures.definitions([Self.warm], lifecycle: Fixtures.lifecycle(scoreTransition: scoreTransition)),
            lead: Fixtures.lead(grade, owner: owner), at: start)
    }

    @Test func notifyOnceThenHandOffOnFridayAfternoon() {
        // Thursday 5 March 09:00 EST.
        let start = utc(2026, 3, 5, 14)
        // Friday 6 March 15:00 EST: 8 business hours later is Monday 9 March 15:00 EDT (after the change).
        let crossing = utc(2026, 3, 6, 20)
        var run = run(.A, at: start)
        run.replay([
            (start, .enroll(sequence: "warm")),
            (start.plus(hours: 4), .event(EngagementEvent(.reply))),                   // 65: notify
            (start.plus(hours: 5), .event(EngagementEvent(.pageVisit))),                // ~67
            (start.plus(hours: 6), .event(EngagementEvent(.emailOpen))),                // ~68
            (crossing, .event(EngagementEvent(.emailClick, category: "pricing"))),  // ~82: hand off
        ], until: utc(2026, 4, 30))

        #expect(run.effects.notifications == ["{{first_name}} is warming up"])
        let notified = run.timed.first { if case .notifyRep = $0.effect { true } else { false } }
        #expect(notified?.at == start.plus(hours: 4))
        #expect(run.effects.contains(.notifyRep(Reps.sdr, message: "{{first_name}} is warming up", sequence: "warm")))

        let atCrossing = run.entries.first { $0.at == crossing }!.effects
        #expect(atCrossing.stageChanges.map { "\($0.from)->\($0.to)" } == ["lead->mql"])
        #expect(atCrossing.contains(.stageChanged(from: "lead", to: "mql", reason: "Reached MQL")))
        let handOff = atCrossing.handOffs.first
        #expect(handOff?.rep == Reps.sdr)
        #expect(handOff?.reason == "Reached MQL")
        #expect(handOff?.sequence == "warm")
        #expect(handOff?.grade == "A")
        #expect(handOff?.at == crossing)
        #expect(handOff?.due == utc(2026, 3, 9, 19))
        #expect(handOff.map { abs($0.score - run.entries.first { $0.at == crossing }!.score) < 1e-9 } == true)
        #expect(handOff.map { $0.score >= 80 } == true)

        // The enrollment ends: no exit or completion reported, and the second email never goes.
        #expect(run.enrollment("warm")?.status == .handedOff)
        #expect(run.sends.map(\.step) == ["a"])
        #expect(run.state.stage == "mql")
        #expect(run.entries.last?.at == crossing)
    }

    @Test func handOffToTheOwnerOnAFridayInSummerTime() {
        // Friday 13 March 15:00 EDT -> Monday 16 March 15:00 EDT.
        let friday = utc(2026, 3, 13, 19)
        var run = run(.B, owner: Reps.dana, at: friday)
        run.step(.enroll(sequence: "warm"), at: friday)
        let effects = run.step(.event(EngagementEvent(.meetingBooked)), at: friday)
        // meeting_booked also moves lead -> mql by itself (the lifecycle's event transition), with
        // the same rep and due date; the threshold then finds the lead already handed off.
        #expect(effects.handOffs.count == 1)
        #expect(effects.handOffs.first?.rep == Reps.dana)
        #expect(effects.handOffs.first?.due == utc(2026, 3, 16, 19))
        #expect(run.enrollment("warm")?.status == .handedOff)
    }

    @Test func handOffDueFromAScoreStep() {
        let boost = sequence("boost", thresholds: [
            Threshold(condition: condition("score >= 80 and fit in [A, B]"), action: .handOff(reason: "Boosted")),
        ], steps: [.score("bump", 40, reason: "Attended the workshop"), .email("never")])
        // Friday 13 March 15:00 EDT.
        let friday = utc(2026, 3, 13, 19)
        var run = Run(Fixtures.definitions([boost], lifecycle: Fixtures.lifecycle(scoreTransition: false)),
                      lead: Fixtures.lead(.A, owner: Reps.dana), at: friday)
        let effects = run.step(.enroll(sequence: "boost"), at: friday)
        #expect(effects == [
            .enrolled(sequence: "boost"),
            .scoreChanged(from: 45, to: 85, reason: "Attended the workshop"),
            .stageChanged(from: "lead", to: "mql", reason: "Boosted"),
            .handOff(HandOff(rep: Reps.dana, reason: "Boosted", sequence: "boost", score: 85, grade: "A",
                             due: utc(2026, 3, 16, 19), at: friday)),
        ])
        #expect(run.sends.isEmpty)
    }

    @Test func aThresholdCrossedByTheLastStepStillFires() {
        // The score step is the sequence's last: its threshold fires before the enrollment completes.
        let last = sequence("last", thresholds: [
            Threshold(condition: condition("score >= 50"), action: .notifyRep("hot now")),
        ], steps: [.score("bump", 40, reason: "Filled the survey")])
        let start = utc(2026, 3, 10, 14)
        var run = Run(Fixtures.definitions([last]), lead: Fixtures.lead(.C), at: start)
        #expect(run.step(.enroll(sequence: "last"), at: start) == [
            .enrolled(sequence: "last"),
            .scoreChanged(from: 10, to: 50, reason: "Filled the survey"),
            .notifyRep(Reps.sdr, message: "hot now", sequence: "last"),
            .completed(sequence: "last"),
        ])
    }

    @Test func aThresholdAlreadyMetFiresAtEnrollment() {
        let start = utc(2026, 3, 10, 14)
        var run = run(.A, at: start)
        run.step(.event(EngagementEvent(.reply)), at: start)
        let effects = run.step(.enroll(sequence: "warm"), at: start)
        #expect(effects.notifications == ["{{first_name}} is warming up"])
    }

    @Test func notifyFiresOncePerEnrollmentEvenWhenTheScoreDipsAndRecovers() {
        let start = utc(2026, 3, 10, 14)
        var run = run(.C, at: start)
        run.replay([
            (start, .enroll(sequence: "warm")),
            (start.plus(hours: 1), .event(EngagementEvent(.formFill))),       // 35
            (start.plus(hours: 2), .event(EngagementEvent(.reply))),          // 55: notify
            (start.plus(hours: 3), .event(EngagementEvent(.pageVisit, category: "careers"))),  // 45
            (start.plus(hours: 4), .event(EngagementEvent(.emailClick, category: "pricing"))),  // 60
        ], until: start.plus(days: 5))
        #expect(run.effects.notifications.count == 1)
        // Poor fit: no hand-off whatever the score.
        #expect(run.effects.handOffs.isEmpty)
        #expect(run.enrollment("warm")?.status == .active)
    }

    @Test func aSequenceThresholdHandsOffBeforeTheLifecyclesScoreRule() {
        // Both the threshold and the lifecycle's `when` hold at once: the sequence hands off with its
        // own reason, and the lifecycle then finds the lead already in mql. One hand-off, not two.
        let start = utc(2026, 3, 10, 14)
        var run = run(.A, scoreTransition: true, at: start)
        run.step(.enroll(sequence: "warm"), at: start)
        // 60: the notification only.
        let warming = run.step(.event(EngagementEvent(.emailClick, category: "pricing")), at: start.plus(hours: 1))
        #expect(warming.notifications == ["{{first_name}} is warming up"])
        #expect(warming.stageChanges.isEmpty)
        // ~85: both the threshold and the lifecycle rule hold.
        let crossing = run.step(.event(EngagementEvent(.formFill)), at: start.plus(hours: 2))
        #expect(crossing.stageChanges.count == 1)
        #expect(crossing.contains(.stageChanged(from: "lead", to: "mql", reason: "Reached MQL")))
        #expect(crossing.handOffs.map(\.sequence) == ["warm"])
        #expect(crossing.handOffs.map(\.reason) == ["Reached MQL"])
        #expect(crossing.notifications.isEmpty)
        #expect(run.enrollment("warm")?.status == .handedOff)
    }

    @Test func theLifecyclesOwnMoveComesFirstAndOnlyOneHandOffIsMade() {
        let start = utc(2026, 3, 10, 14)
        var run = run(.A, scoreTransition: true, at: start)
        run.step(.enroll(sequence: "warm"), at: start)
        let effects = run.step(.event(EngagementEvent(.meetingBooked)), at: start.plus(hours: 1))
        #expect(effects.handOffs.count == 1)
        #expect(effects.stageChanges.count == 1)
        #expect(run.enrollment("warm")?.status == .handedOff)
    }
}
