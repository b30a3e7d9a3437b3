import Foundation
import NurtureTestSupport
import Testing
@testable import NurtureCore

/// Every step kind, `next:` jumps and the way a sequence ends. The send window is `always` so the
/// timing shown is the steps' own; the lead's clock is New York (DST starts on 8 March 2026).
@Suite("Engine steps")
struct EngineStepTests {
    /// Monday 2 March 2026, 10:00 EST.
    let t0 = utc(2026, 3, 2, 15)

    static var tour: NurtureSequence {
        sequence("tour", steps: [
            .email("welcome", "tour/welcome"),
            .wait("pause", "2d"),
            .waitFor("watch", "clicked(case-study)", upTo: "4d", onEvent: "hot"),
            .branch("fork", [("fit in [A, B]", "call")], otherwise: "quiet"),
            .score("hot", 10, reason: "Read the case study", next: "tell"),
            .repTask("call", "Call {{first_name}} about the tour", due: "2d"),
            .end("quiet"),
            .notifyRep("tell", "{{first_name}} read the case study"),
            .handOff("handoff", "Hot after the tour"),
        ])
    }

    func tourRun(_ grade: Fixtures.Grade = .A, owner: Rep? = nil) -> Run {
        Run(Fixtures.definitions([Self.tour]), lead: Fixtures.lead(grade, owner: owner), at: t0)
    }

    @Test func enrollSendsTheFirstEmailAndSchedulesTheWait() {
        var run = tourRun()
        let effects = run.step(.enroll(sequence: "tour"), at: t0)
        #expect(effects == [
            .enrolled(sequence: "tour"),
            .send(Send(sequence: "tour", step: "welcome", stepIndex: 0, template: "tour/welcome", from: Reps.maya, replyTo: nil,
                       enrolledAt: t0, at: t0)),
            .wake(sequence: "tour", at: utc(2026, 3, 4, 15)),
        ])
        #expect(run.state.nextWake == utc(2026, 3, 4, 15))
    }

    @Test func waitForEventArrivesEarlyJumpsToOnEvent() {
        var run = tourRun()
        let click = utc(2026, 3, 5, 12)  // Thursday 07:00 EST
        run.replay([(t0, .enroll(sequence: "tour")), (click, .event(EngagementEvent(.emailClick, category: "case-study")))],
                   until: utc(2026, 3, 31))
        // At the wait_for (Wednesday 10:00 EST) it sleeps up to 4 calendar days: Sunday 10:00 EDT.
        let waiting = run.entries.first { $0.at == utc(2026, 3, 4, 15) }
        #expect(waiting?.effects == [.wake(sequence: "tour", at: utc(2026, 3, 8, 14))])

        let atClick = run.entries.last { $0.at == click }!.effects
        #expect(atClick.scoreChanges.map(\.reason) == ["email click (case-study)", "Read the case study"])
        #expect(atClick.notifications == ["{{first_name}} read the case study"])
        #expect(atClick.stageChanges.map(\.to) == ["mql"])
        // The hand-off is due 8 business hours later: Thursday 09:00-17:00 EST.
        #expect(atClick.handOffs == [HandOff(
            rep: Reps.sdr, reason: "Hot after the tour", sequence: "tour", score: 63, grade: "A",
            due: utc(2026, 3, 5, 22), at: click)])
        #expect(run.enrollment("tour")?.status == .handedOff)
        #expect(run.state.stage == "mql")
        // Nothing after the hand-off: no timeout, no task, no further email.
        #expect(run.entries.last?.at == click)
        #expect(run.sends.map(\.step) == ["welcome"])
        #expect(run.effects.tasks.isEmpty)
    }

    @Test func waitForTimesOutAndGoesOn() {
        var run = tourRun(.A, owner: Reps.dana)
        run.replay([(t0, .enroll(sequence: "tour"))], until: utc(2026, 3, 31))
        let timeout = utc(2026, 3, 8, 14)
        let atTimeout = run.entries.last!
        #expect(atTimeout.at == timeout)
        // fit A -> call: a task for the owner due 2 business days later (the timeout falls on a
        // Sunday: Monday and Tuesday, 09:00 to 17:00 EDT), then `quiet` ends it.
        #expect(atTimeout.effects == [
            .task(Reps.dana, title: "Call {{first_name}} about the tour", due: utc(2026, 3, 10, 21), sequence: "tour"),
            .completed(sequence: "tour"),
        ])
        #expect(run.enrollment("tour")?.status == .completed)
        #expect(run.effects.scoreChanges.isEmpty)
        #expect(run.effects.notifications.isEmpty)
    }

    @Test func branchElseWhenNoCaseHolds() {
        var run = tourRun(.C)
        run.replay([(t0, .enroll(sequence: "tour"))], until: utc(2026, 3, 31))
        #expect(run.entries.last?.effects == [.completed(sequence: "tour")])
        #expect(run.effects.tasks.isEmpty)
    }

    @Test func waitForConditionAlreadyTrueGoesStraightToOnEvent() {
        var run = tourRun(.C)
        run.replay([(t0, .enroll(sequence: "tour")), (t0.plus(hours: 1), .event(EngagementEvent(.emailClick, category: "case-study")))],
                   until: utc(2026, 3, 31))
        let reached = run.entries.last { $0.at == utc(2026, 3, 4, 15) }!.effects
        #expect(reached.scoreChanges.map(\.reason) == ["Read the case study"])
        #expect(reached.notifications.count == 1)
        #expect(reached.handOffs.count == 1)
        #expect(run.entries.last?.at == utc(2026, 3, 4, 15))
    }

    @Test func otherEventsDoNotEndTheWait() {
        var run = tourRun(.C)
        run.replay([
            (t0, .enroll(sequence: "tour")),
            (utc(2026, 3, 5), .event(EngagementEvent(.emailClick, category: "pricing"))),
            (utc(2026, 3, 6), .event(EngagementEvent(.pageVisit, category: "case-study"))),
        ], until: utc(2026, 3, 31))
        #expect(run.enrollment("tour")?.status == .completed)
        #expect(run.timed.first { $0.effect == .completed(sequence: "tour") }?.at == utc(2026, 3, 8, 14))
        #expect(!run.effects.contains { if case .handOff = $0 { true } else { false } })
    }

    @Test func nextJumpsSkipSteps() {
        let jumps = sequence("jumps", steps: [
            .email("a", next: "c"), .email("b"), .email("c", next: "e"), .email("d"), .end("e"),
        ])
        var run = Run(Fixtures.definitions([jumps]), lead: Fixtures.lead(), at: t0)
        let effects = run.step(.enroll(sequence: "jumps"), at: t0)
        #expect(effects.sends.map(\.step) == ["a", "c"])
        #expect(effects.last == .completed(sequence: "jumps"))
    }

    @Test func aLoopBackThroughAWaitRunsUntilItsConditionAndNeverResends() {
        let loop = sequence("loop", steps: [
            .email("a"),
            .wait("tick", "1d"),
            .branch("check", [("clicked", "done")], otherwise: "again"),
            .email("again", next: "tick"),
            .end("done"),
        ])
        var run = Run(Fixtures.definitions([loop]), lead: Fixtures.lead(), at: t0)
        run.replay([(t0, .enroll(sequence: "loop")), (t0.plus(days: 2.5), .event(EngagementEvent(.emailClick)))],
                   until: utc(2026, 3, 31))
        // `again` is sent once although the loop passes it twice.
        #expect(run.sends.map(\.step) == ["a", "again"])
        #expect(run.effects.wakes == [t0.plus(days: 1), t0.plus(days: 2), t0.plus(days: 3)])
        #expect(run.timed.last?.effect == .completed(sequence: "loop"))
        #expect(run.timed.last?.at == t0.plus(days: 3))
    }

    @Test func trailingWaitEndsAfterTheWait() {
        let tail = sequence("tail", steps: [.email("only"), .wait("linger", "3d")])
        // Friday 6 March 10:00 EST; the wait ends Monday 10:00 EDT.
        let start = utc(2026, 3, 6, 15)
        var run = Run(Fixtures.definitions([tail]), lead: Fixtures.lead(), at: start)
        run.replay([(start, .enroll(sequence: "tail"))], until: utc(2026, 3, 31))
        #expect(run.entries.map(\.at) == [start, utc(2026, 3, 9, 14)])
        #expect(run.entries[0].effects.contains(.wake(sequence: "tail", at: utc(2026, 3, 9, 14))))
        #expect(!run.entries[0].effects.contains(.completed(sequence: "tail")))
        #expect(run.entries[1].effects == [.completed(sequence: "tail")])
    }

    @Test func endStopsTheSequence() {
        let stop = sequence("stop", steps: [.email("a"), .end("stop"), .email("never")])
        var run = Run(Fixtures.definitions([stop]), lead: Fixtures.lead(), at: t0)
        #expect(run.step(.enroll(sequence: "stop"), at: t0).sends.map(\.step) == ["a"])
        #expect(run.enrollment("stop")?.status == .completed)
        #expect(run.replay(until: utc(2026, 4, 30)).isEmpty)
    }

    @Test func scoreStepAddsOrRemovesPoints() {
        let points = sequence("points", steps: [
            .score("bonus", 12, reason: "Came to the event"), .wait("w", "30d"), .score("malus", -15, reason: "Went quiet"),
        ])
        // 1 April 2026, 10:00 EDT: the 30 days do not cross a DST change, so they are exactly one half-life.
        let start = utc(2026, 4, 1, 14)
        var run = Run(Fixtures.definitions([points]), lead: Fixtures.lead(.C), at: start)
        run.replay([(start, .enroll(sequence: "points"))], until: utc(2026, 6, 1))
        let changes = run.effects.scoreChanges
        #expect(changes.count == 2)
        #expect(changes[0] == (10, 22, "Came to the event"))
        // 30 days later the 12 points are worth 6: 16 -> 1.
        #expect(abs(changes[1].from - 16) < 1e-9)
        #expect(abs(changes[1].to - 1) < 1e-9)
        #expect(changes[1].reason == "Went quiet")
        #expect(run.enrollment("points")?.status == .completed)
    }

    @Test func repTaskWithoutDueAndNotifyRepGoToTheDefaultOwner() {
        let rep = sequence("rep", steps: [.repTask("task", "Look at {{company}}"), .notifyRep("note", "FYI")])
        var run = Run(Fixtures.definitions([rep]), lead: Fixtures.lead(), at: t0)
        let effects = run.step(.enroll(sequence: "rep"), at: t0)
        #expect(effects == [
            .enrolled(sequence: "rep"),
            .task(Reps.sdr, title: "Look at {{company}}", due: nil, sequence: "rep"),
            .notifyRep(Reps.sdr, message: "FYI", sequence: "rep"),
            .completed(sequence: "rep"),
        ])
        // No default owner, no owner: the rep is unknown but the task is still created.
        var orphan = Run(Fixtures.definitions([rep], lifecycle: Fixtures.lifecycle(defaultOwner: nil)), lead: Fixtures.lead(), at: t0)
        #expect(orphan.step(.enroll(sequence: "rep"), at: t0).tasks.map(\.rep) == [nil])
    }

    @Test func handOffStepFromAMarketingStage() {
        let hand = sequence("hand", steps: [.handOff("give", "Asked for a call"), .email("never")])
        // Friday 13 March 15:00 EDT: 8 business hours -> Monday 15:00 EDT.
        let friday = utc(2026, 3, 13, 19)
        var run = Run(Fixtures.definitions([hand]), lead: Fixtures.lead(.B, owner: Reps.dana), at: friday)
        let effects = run.step(.enroll(sequence: "hand"), at: friday)
        #expect(effects == [
            .enrolled(sequence: "hand"),
            .stageChanged(from: "lead", to: "mql", reason: "Asked for a call"),
            .handOff(HandOff(rep: Reps.dana, reason: "Asked for a call", sequence: "hand", score: 35, grade: "B",
                             due: utc(2026, 3, 16, 19), at: friday)),
        ])
        #expect(run.enrollment("hand")?.status == .handedOff)
        #expect(run.sends.isEmpty)
    }

    @Test func handOffStepForALeadSalesAlreadyOwns() {
        let hand = sequence("hand", steps: [.handOff("give", "Back to you")])
        var run = Run(Fixtures.definitions([hand]), lead: Fixtures.lead(.A, owner: Reps.dana, stage: "sal"), at: t0)
        let effects = run.step(.enroll(sequence: "hand"), at: t0)
        // No stage change; the rep hears about it, due by the hand-off stage's service level.
        #expect(effects.stageChanges.isEmpty)
        #expect(effects.handOffs.map(\.rep) == [Reps.dana])
        // Monday 10:00-17:00 EST is 7 business hours; the 8th ends Tuesday 10:00 EST.
        #expect(effects.handOffs.map(\.due) == [utc(2026, 3, 3, 15)])
        #expect(run.state.stage == "sal")
    }

    @Test func handOffStepForALeadAlreadyHandedOffIsQuiet() {
        let hand = sequence("hand", steps: [.handOff("give", "Again")])
        var run = Run(Fixtures.definitions([hand]), lead: Fixtures.lead(.A, stage: "mql"), at: t0)
        #expect(run.step(.enroll(sequence: "hand"), at: t0) == [.enrolled(sequence: "hand")])
        #expect(run.enrollment("hand")?.status == .handedOff)
    }

    @Test func sendersAndReplyTo() {
        let fromOwner = sequence("owner", sender: .owner, replyTo: .owner, steps: [.email("a")])
        let fixed = sequence("fixed", sender: .fixed(Reps.maya), replyTo: .fixed(Reps.dana), steps: [.email("a")])
        let definitions = Fixtures.definitions([fromOwner, fixed])

        var owned = Run(definitions, lead: Fixtures.lead(owner: Reps.dana), at: t0)
        owned.step(.enroll(sequence: "owner"), at: t0)
        owned.step(.enroll(sequence: "fixed"), at: t0)
        #expect(owned.sends.map(\.from) == [Reps.dana, Reps.maya])
        #expect(owned.sends.map(\.replyTo) == [Reps.dana, Reps.dana])

        var unowned = Run(definitions, lead: Fixtures.lead(owner: nil), at: t0)
        unowned.step(.enroll(sequence: "owner"), at: t0)
        #expect(unowned.sends.map(\.from) == [Reps.sdr])
        #expect(unowned.sends.map(\.replyTo) == [Reps.sdr])
    }

    @Test func aLoopThatNeverPausesIsStopped() {
        let spin = sequence("spin", steps: [.email("a"), .branch("again", [("opened", "a")], otherwise: "again")])
        var run = Run(Fixtures.definitions([spin]), lead: Fixtures.lead(), at: t0)
        let effects = run.step(.enroll(sequence: "spin"), at: t0)
        #expect(effects.sends.count == 1)
        #expect(effects.last == .exited(sequence: "spin", reason: .stalled))
    }

    @Test func stepSuccessorsAndPauses() {
        let tour = Self.tour
        #expect(tour.steps.map(\.successors) == [[1], [2], [3, 4], [5, 6], [7], [6], [], [8], []])
        #expect(tour.steps.map(\.pauses) == [false, true, true, false, false, false, false, false, false])
        #expect(tour.stepIndex("hot") == 4)
        #expect(tour.stepIndex("nope") == nil)
    }
}
