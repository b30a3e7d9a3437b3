import Foundation
import NurtureTestSupport
import Testing
@testable import NurtureCore

/// Moves between stages: automatic (`when`), rep actions (`on: accept`, `reject(reason)`), events
/// (`on: meeting_booked`), recycling into a sequence, and actions the lifecycle does not allow.
@Suite("Lifecycle")
struct LifecycleTests {
    /// Friday 13 March 2026, 15:00 EDT.
    let friday = utc(2026, 3, 13, 19)

    func run(_ grade: Fixtures.Grade = .A, stage: String? = nil, owner: Rep? = nil, at start: Date? = nil) -> Run {
        Run(Fixtures.definitions([]), lead: Fixtures.lead(grade, owner: owner, stage: stage), at: start ?? friday)
    }

    @Test func newLeadsStartInTheEntryStageOrTheirOwn() {
        #expect(run().state.stage == "lead")
        #expect(run(stage: "sal").state.stage == "sal")
        #expect(run(.B).state.grade == "B")
        #expect(run(.B).state.fitPoints == 35)
    }

    @Test func automaticTransitionWhenTheConditionBecomesTrue() {
        var run = run(.A, at: friday.plus(hours: -3))
        // 45 fit + 25 = 70: not yet.
        let form = run.step(.event(EngagementEvent(.formFill, category: "demo")), at: friday.plus(hours: -2))
        #expect(form.stageChanges.isEmpty)
        // + 20 (a little decayed) crosses 80.
        let reply = run.step(.event(EngagementEvent(.reply)), at: friday)
        #expect(reply.count == 3)
        #expect(reply[1] == .stageChanged(from: "lead", to: "mql", reason: Fixtures.mqlCondition))
        guard case let .handOff(handOff) = reply[2] else { Issue.record("no hand-off in \(reply)"); return }
        // No owner: the lifecycle's default owner. Due 8 business hours after Friday 15:00 EDT:
        // Monday 15:00 EDT.
        #expect(handOff.rep == Reps.sdr)
        #expect(handOff.due == utc(2026, 3, 16, 19))
        #expect(handOff.at == friday)
        #expect(handOff.sequence == nil)
        #expect(handOff.grade == "A")
        #expect(handOff.reason == Fixtures.mqlCondition)
        #expect(handOff.score > 89 && handOff.score < 90)
        #expect(run.state.stage == "mql")
    }

    @Test func handOffAcrossTheSpringForwardWeekend() {
        // Friday 6 March 15:00 EST -> Monday 9 March 15:00 EDT.
        var run = run(.A, owner: Reps.dana, at: utc(2026, 3, 6, 20))
        let effects = run.step(.event(EngagementEvent(.meetingBooked)), at: utc(2026, 3, 6, 20))
        #expect(effects.handOffs.map(\.due) == [utc(2026, 3, 9, 19)])
        #expect(effects.handOffs.map(\.rep) == [Reps.dana])
    }

    @Test func poorFitNeverMovesAutomatically() {
        var run = run(.C)
        run.step(.event(EngagementEvent(.formFill)), at: friday)
        run.step(.event(EngagementEvent(.reply)), at: friday)
        run.step(.event(EngagementEvent(.emailClick, category: "pricing")), at: friday)
        #expect(run.facts(at: friday).score == 70)
        run.step(.event(EngagementEvent(.pageVisit, category: "pricing")), at: friday)
        #expect(run.facts(at: friday).score == 85)
        #expect(run.state.stage == "lead")
    }

    @Test func automaticTransitionOnlyFromItsStages() {
        // An A lead in `sal` with a high score is not moved back to mql.
        var run = run(.A, stage: "sal")
        run.step(.event(EngagementEvent(.formFill)), at: friday)
        run.step(.event(EngagementEvent(.reply)), at: friday)
        #expect(run.state.stage == "sal")
        #expect(run.effects.handOffs.isEmpty)
    }

    @Test func repAcceptsAnMQL() {
        var run = run(stage: "mql")
        #expect(run.step(.repAction(RepAction("accept")), at: friday) ==
            [.stageChanged(from: "mql", to: "sal", reason: "rep: accept")])
        #expect(run.step(.repAction(RepAction("qualify")), at: friday) ==
            [.stageChanged(from: "sal", to: "sql", reason: "rep: qualify")])
    }

    @Test func rejectNotReadyRecyclesAndEnrolls() {
        var run = run(.C, stage: "mql")
        let effects = run.step(.repAction(RepAction("reject", reason: "not-ready")), at: friday)
        #expect(effects == [
            .stageChanged(from: "mql", to: "recycled", reason: "rep: reject(not-ready)"),
            .enrolled(sequence: "recycle"),
            .wake(sequence: "recycle", at: friday.plus(days: 7)),
        ])
        #expect(run.state.activeEnrollment(in: "recycle") != nil)
        // The recycle sequence then runs in its Tuesday-Thursday 10:00-15:00 window: a week later is
        // Friday, so Tuesday 24 March 10:00 EDT.
        run.replay(until: friday.plus(days: 60))
        #expect(run.sends.first?.at == utc(2026, 3, 24, 14))
        #expect(run.sends.map(\.step) == ["benchmark", "still-relevant"])
    }

    @Test func rejectWithAnotherReasonTakesItsOwnTransition() {
        var run = run(stage: "sal")
        #expect(run.step(.repAction(RepAction("reject", reason: "bad-fit")), at: friday) ==
            [.stageChanged(from: "sal", to: "disqualified", reason: "rep: reject(bad-fit)")])
        #expect(run.state.enrollments.isEmpty)
    }

    @Test func refusedActions() {
        var lead = run(stage: "lead")
        #expect(lead.step(.repAction(RepAction("accept")), at: friday) ==
            [.actionRefused(RepAction("accept"), stage: "lead")])
        var mql = run(stage: "mql")
        // The transitions name a reason; a bare reject or an unknown reason matches none of them.
        #expect(mql.step(.repAction(RepAction("reject")), at: friday) ==
            [.actionRefused(RepAction("reject"), stage: "mql")])
        #expect(mql.step(.repAction(RepAction("reject", reason: "budget")), at: friday) ==
            [.actionRefused(RepAction("reject", reason: "budget"), stage: "mql")])
        #expect(mql.step(.repAction(RepAction("won")), at: friday) == [.actionRefused(RepAction("won"), stage: "mql")])
        #expect(mql.state.stage == "mql")
    }

    @Test func meetingBookedMovesALeadToMQL() {
        var run = run(.D)
        let effects = run.step(.event(EngagementEvent(.meetingBooked)), at: friday)
        #expect(effects.stageChanges.map { "\($0.from)->\($0.to)" } == ["lead->mql"])
        #expect(effects.contains(.stageChanged(from: "lead", to: "mql", reason: "meeting booked")))
        #expect(effects.handOffs.count == 1)
        #expect(effects.handOffs.first?.grade == "D")
    }

    @Test func meetingBookedMovesAnAcceptedLeadToSQL() {
        var run = run(stage: "sal")
        let effects = run.step(.event(EngagementEvent(.meetingBooked)), at: friday)
        #expect(effects.stageChanges.map { "\($0.from)->\($0.to)" } == ["sal->sql"])
        #expect(effects.handOffs.isEmpty)
    }

    @Test func eventsFromStagesWithoutATransitionMoveNothing() {
        var run = run(stage: "customer")
        #expect(run.step(.event(EngagementEvent(.meetingBooked)), at: friday).stageChanges.isEmpty)
        #expect(run.state.stage == "customer")
    }

    @Test func serviceLevelAllowances() {
        #expect(ServiceLevel.Allowance(parsing: "8 business hours") == .businessHours(8))
        #expect(ServiceLevel.Allowance(parsing: "1 business hour") == .businessHours(1))
        #expect(ServiceLevel.Allowance(parsing: "2 Business Days") == .businessDays(2))
        #expect(ServiceLevel.Allowance(parsing: "2d") == .elapsed(span("2d")))
        for bad in ["0d", "0 business hours", "business hours", "8 hours", "8 business weeks", "", "-1 business days"] {
            #expect(ServiceLevel.Allowance(parsing: bad) == nil, "\(bad)")
        }
        #expect(ServiceLevel.Allowance.businessHours(1).description == "1 business hour")
        #expect(ServiceLevel.Allowance.businessDays(2).description == "2 business days")
        #expect(ServiceLevel.Allowance.elapsed(span("1d12h")).description == "1 day 12 hours")

        let hours = Fixtures.lifecycle().businessHours
        // 2 business days (16 hours) from Friday 15:00 EDT: 2 + 8 + 6 -> Tuesday 15:00 EDT.
        #expect(ServiceLevel.Allowance.businessDays(2).deadline(from: friday, businessHours: hours) == utc(2026, 3, 17, 19))
        // Elapsed time keeps the business zone's wall clock: Friday 15:00 EST + 2d = Sunday 15:00 EDT.
        #expect(ServiceLevel.Allowance.elapsed(span("2d")).deadline(from: utc(2026, 3, 6, 20), businessHours: hours) == utc(2026, 3, 8, 19))
    }

    @Test func lookups() {
        let lifecycle = Fixtures.lifecycle()
        #expect(lifecycle.owner(of: "mql") == .sales)
        #expect(lifecycle.owner(of: "recycled") == .marketing)
        #expect(lifecycle.owner(of: "nowhere") == .marketing)
        #expect(lifecycle.serviceLevel(for: "mql")?.within == .businessHours(8))
        #expect(lifecycle.serviceLevel(for: "lead") == nil)
        #expect(lifecycle.stage("sal")?.name == "Sales accepted lead")
        let any = StageTransition(from: [], to: "x", trigger: .action(RepAction("reject")))
        #expect(any.starts(from: "anything"))
        #expect(any.matches(RepAction("reject", reason: "whatever")))
        #expect(!any.matches(RepAction("accept")))
    }

    @Test func repActionParsing() {
        #expect(RepAction(parsing: "reject(not-ready)") == RepAction("reject", reason: "not-ready"))
        #expect(RepAction(parsing: " accept ") == RepAction("accept"))
        #expect(RepAction(parsing: "lost(no_decision)")?.description == "lost(no_decision)")
        for bad in ["", "reject(", "reject()", "(x)", "a b", "reject(not ready)", "reject(x)y"] {
            #expect(RepAction(parsing: bad) == nil, "\(bad)")
        }
    }
}
