import Foundation
import NurtureTestSupport
import Testing
@testable import NurtureCore

/// The lifecycle's rules for reps, as pure functions: which actions it knows, whether one may be
/// taken from a stage, when a task falls due, and how a recycling move resets engagement.
@Suite("Lifecycle rules")
struct LifecycleRulesTests {
    let lifecycle = Fixtures.lifecycle()

    @Test func actionsFromTheirStagesAreAllowed() {
        #expect(lifecycle.problem(with: RepAction("accept"), inStage: "mql") == nil)
        #expect(lifecycle.problem(with: RepAction("reject", reason: "not-ready"), inStage: "sal") == nil)
        #expect(lifecycle.problem(with: RepAction("won"), inStage: "sql") == nil)
    }

    @Test func anUnknownVerbNamesTheVerbsTheLifecycleKnows() {
        let problem = lifecycle.problem(with: RepAction("approve"), inStage: "mql")
        #expect(problem == .unknownVerb("approve", known: ["accept", "reject", "qualify", "won"]))
        #expect(problem?.description == "the lifecycle has no action 'approve'; it knows accept, reject, qualify, won")
    }

    @Test func anUnknownOrMissingReasonNamesTheKnownReasons() {
        #expect(lifecycle.problem(with: RepAction("reject", reason: "maybe"), inStage: "mql")
            == .unknownReason(verb: "reject", reason: "maybe", known: ["bad-fit", "not-ready"]))
        #expect(lifecycle.problem(with: RepAction("reject"), inStage: "mql")?.description
            == "'reject' needs a reason: one of bad-fit, not-ready")
    }

    @Test func anActionFromTheWrongStageSaysWhereItIsAllowed() {
        let problem = lifecycle.problem(with: RepAction("won"), inStage: "mql")
        #expect(problem == .notFromStage(RepAction("won"), stage: "mql", allowedFrom: ["sql"]))
        #expect(problem?.description == "'won' is not allowed for a lead in stage 'mql'; it is allowed from sql")
    }

    @Test func knownActionsAreListedOnceInDefinitionOrder() {
        #expect(lifecycle.repActions.map(\.description) == ["accept", "reject(not-ready)", "reject(bad-fit)", "qualify", "won"])
    }

    /// Business hours are Monday to Friday, 09:00 to 17:00 in New York.
    @Test func tasksFallDueInBusinessTimeNeverOnAWeekend() {
        // Friday 15:00 EDT + 2 business days = Tuesday 15:00 EDT.
        #expect(lifecycle.taskDeadline(span("2d"), from: utc(2026, 3, 13, 19)) == utc(2026, 3, 17, 19))
        // Saturday 10:00 + 4 business hours = Monday 13:00 EDT.
        #expect(lifecycle.taskDeadline(span("4h"), from: utc(2026, 3, 14, 14)) == utc(2026, 3, 16, 17))
        // Friday 16:00 + 3 hours = Monday 11:00, never the weekend.
        let due = lifecycle.taskDeadline(span("3h"), from: utc(2026, 3, 13, 20))
        #expect(due == utc(2026, 3, 16, 15))
    }

    @Test func aRecyclingMoveThatResetsEngagementKeepsTheLeadFromBouncingBack() {
        var lifecycle = Fixtures.lifecycle()
        let index = lifecycle.transitions.firstIndex { $0.matches(RepAction("reject", reason: "not-ready")) }!
        let definitionsWithout = Fixtures.definitions([], lifecycle: lifecycle)
        lifecycle.transitions[index].resetsEngagement = true
        let definitionsWith = Fixtures.definitions([], lifecycle: lifecycle)
        let friday = utc(2026, 3, 13, 19)
        func afterRejection(_ definitions: DefinitionSet) -> LeadState {
            var run = Run(definitions, lead: Fixtures.lead(.A), at: friday.plus(hours: -3))
            _ = run.step(.event(EngagementEvent(.formFill, category: "demo")), at: friday.plus(hours: -2))
            _ = run.step(.event(EngagementEvent(.reply)), at: friday)
            #expect(run.state.stage == "mql")
            _ = run.step(.repAction(RepAction("reject", reason: "not-ready")), at: friday.plus(hours: 1))
            return run.state
        }
        // Without a reset the same points hand the lead straight back.
        #expect(afterRejection(definitionsWithout).stage == "mql")
        let reset = afterRejection(definitionsWith)
        #expect(reset.stage == "recycled")
        #expect(reset.score.points == 0)
    }
}
