import Foundation
import NurtureTestSupport
import Testing
@testable import NurtureCore

/// Exits listed by a sequence (reply, meeting booked, stage change) and the ones that always apply:
/// unsubscribes, hard bounces and complaints end everything and suppress the address.
@Suite("Exits and suppression")
struct EngineExitTests {
    /// Monday 2 March 2026, 10:00 EST.
    let t0 = utc(2026, 3, 2, 15)
    let later = utc(2026, 3, 3, 12)
    let end = utc(2026, 4, 30)

    static var listed: NurtureSequence {
        sequence("listed", exits: [
            .event(.reply), .event(.meetingBooked), .stageChange(to: ["sal", "disqualified"]),
        ], steps: [.email("a"), .wait("w1", "2d"), .email("b"), .wait("w2", "2d"), .email("c")])
    }

    /// Lists no exits at all.
    static var plain: NurtureSequence {
        sequence("plain", steps: [.email("p1"), .wait("w1", "1d"), .email("p2"), .wait("w2", "1d"), .email("p3")])
    }

    func run(_ event: EngagementEvent? = nil, action: RepAction? = nil, lead: Lead = Fixtures.lead(.C),
             sequences: [String] = ["listed"]) -> Run {
        var run = Run(Fixtures.definitions([Self.listed, Self.plain]), lead: lead, at: t0)
        var inputs: [(Date, Input)] = sequences.map { (t0, .enroll(sequence: $0)) }
        if let event { inputs.append((later, .event(event))) }
        if let action { inputs.append((later, .repAction(action))) }
        run.replay(inputs, until: end)
        return run
    }

    @Test func completesWithoutAnExit() {
        let run = run()
        #expect(run.sends.map(\.step) == ["a", "b", "c"])
        #expect(run.enrollment("listed")?.status == .completed)
    }

    @Test func replyExits() {
        let run = run(EngagementEvent(.reply))
        let atReply = run.entries.first { $0.at == later }!.effects
        #expect(atReply.contains(.exited(sequence: "listed", reason: .event(.reply))))
        #expect(run.enrollment("listed")?.status == .exited(.event(.reply)))
        #expect(run.sends.map(\.step) == ["a"])
        #expect(run.entries.last?.at == later)
        #expect(run.state.suppression == nil)
    }

    @Test func meetingBookedExitsAndMovesTheLead() {
        let run = run(EngagementEvent(.meetingBooked))
        let atMeeting = run.entries.first { $0.at == later }!.effects
        #expect(atMeeting.contains(.exited(sequence: "listed", reason: .event(.meetingBooked))))
        #expect(atMeeting.contains(.stageChanged(from: "lead", to: "mql", reason: "meeting booked")))
        #expect(atMeeting.handOffs.count == 1)
        #expect(run.sends.map(\.step) == ["a"])
    }

    @Test func stageChangeToAListedStageExits() {
        let run = run(action: RepAction("accept"), lead: Fixtures.lead(.C, stage: "mql"))
        let atAccept = run.entries.first { $0.at == later }!.effects
        #expect(atAccept == [
            .stageChanged(from: "mql", to: "sal", reason: "rep: accept"),
            .exited(sequence: "listed", reason: .stageChanged(to: "sal")),
        ])
        #expect(run.sends.map(\.step) == ["a"])
    }

    @Test func stageChangeToAnUnlistedStageDoesNotExit() {
        // reject(not-ready) moves to recycled, which `listed` does not exit on.
        let run = run(action: RepAction("reject", reason: "not-ready"), lead: Fixtures.lead(.C, stage: "mql"))
        #expect(run.state.stage == "recycled")
        #expect(run.sends.filter { $0.sequence == "listed" }.map(\.step) == ["a", "b", "c"])
        #expect(run.enrollment("listed")?.status == .completed)
    }

    @Test func eventsNotListedDoNotExit() {
        let run = run(EngagementEvent(.reply), sequences: ["plain"])
        #expect(run.sends.map(\.step) == ["p1", "p2", "p3"])
        #expect(run.enrollment("plain")?.status == .completed)
        let opened = self.run(EngagementEvent(.emailOpen))
        #expect(opened.sends.map(\.step) == ["a", "b", "c"])
    }

    @Test(arguments: [EngagementEvent.Kind.unsubscribe, .hardBounce, .complaint])
    func suppressionEndsEverySequenceAndEveryFutureSend(kind: EngagementEvent.Kind) {
        var run = run(EngagementEvent(kind), sequences: ["listed", "plain"])
        let atEvent = run.entries.first { $0.at == later }!.effects
        #expect(atEvent.contains(.suppressed(kind)))
        #expect(atEvent.contains(.exited(sequence: "listed", reason: .event(kind))))
        #expect(atEvent.contains(.exited(sequence: "plain", reason: .event(kind))))
        #expect(run.state.suppression == kind)
        #expect(run.sends.allSatisfy { $0.at < later })
        #expect(run.sends.map(\.step) == ["a", "p1"])

        // No enrollment afterwards, in any sequence, by hand or by the lifecycle.
        let afterwards = later.plus(days: 1)
        #expect(run.step(.enroll(sequence: "plain"), at: afterwards) ==
            [.enrollmentRefused(sequence: "plain", reason: .suppressed(kind))])
        #expect(run.step(.enroll(sequence: "listed"), at: afterwards) ==
            [.enrollmentRefused(sequence: "listed", reason: .suppressed(kind))])
        // A second suppressing event is not reported again.
        #expect(!run.step(.event(EngagementEvent(.unsubscribe)), at: afterwards).contains(.suppressed(.unsubscribe)))
        #expect(run.state.suppression == kind)
        run.replay(until: end)
        #expect(run.sends.allSatisfy { $0.at < later })
    }

    @Test func suppressionBlocksTheLifecycleEnrollment() {
        var run = Run(Fixtures.definitions([]), lead: Fixtures.lead(.C, stage: "mql"), at: t0)
        run.step(.event(EngagementEvent(.complaint)), at: t0)
        let effects = run.step(.repAction(RepAction("reject", reason: "not-ready")), at: later)
        #expect(effects == [
            .stageChanged(from: "mql", to: "recycled", reason: "rep: reject(not-ready)"),
            .enrollmentRefused(sequence: "recycle", reason: .suppressed(.complaint)),
        ])
        run.replay(until: end)
        #expect(run.sends.isEmpty)
    }

    @Test func aWakeUpAtTheSameInstantAsAnUnsubscribeRunsFirst() {
        // The second email is due at t0 + 1d; the unsubscribe arrives at that very instant. Wake-ups run
        // before inputs at the same instant, so the email goes (it was due first) and nothing follows.
        var run = Run(Fixtures.definitions([Self.plain]), lead: Fixtures.lead(.C), at: t0)
        run.replay([(t0, .enroll(sequence: "plain")), (t0.plus(days: 1), .event(EngagementEvent(.unsubscribe)))], until: end)
        #expect(run.sends.map(\.step) == ["p1", "p2"])
        #expect(run.enrollment("plain")?.status == .exited(.event(.unsubscribe)))
    }

    @Test func exitDescriptions() {
        #expect(Enrollment.ExitReason.event(.meetingBooked).description == "meeting booked")
        #expect(Enrollment.ExitReason.stageChanged(to: "sal").description == "moved to sal")
        #expect(ExitTrigger.stageChange(to: ["sql", "sal"]).description == "stage change to sal, sql")
        #expect(Self.listed.exits(on: .complaint))
        #expect(Self.plain.exits(on: .hardBounce))
        #expect(!Self.plain.exits(on: .reply))
        #expect(Self.listed.exits(onStage: "disqualified"))
        #expect(!Self.listed.exits(onStage: "recycled"))
    }
}
