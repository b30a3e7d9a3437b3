import Foundation
import NurtureTestSupport
import NurtureCore
import NurtureOperations
import NurtureStore
import Testing

/// Bad input to the sales loop: each is refused with a clear reason, and the store is unchanged.
@Suite("Refused operations leave the store unchanged")
struct RefusalTests {
    let monday = utc(2026, 3, 2, 15)

    func refused(_ fixture: LoopFixture, _ expected: String, _ body: () throws -> Void) throws {
        let before = try fixture.snapshot()
        do {
            try body()
            Issue.record("not refused; expected '\(expected)'")
        } catch let error as OperationError {
            #expect(error.description.contains(expected), "\(error.description)")
        }
        #expect(try fixture.snapshot() == before)
    }

    @Test func handOffAnswersThatCannotBeTaken() throws {
        let fixture = try LoopFixture("nurture-refusals")
        defer { fixture.remove() }
        _ = try fixture.store.upsert([LoopFixture.lead("L-1", owner: LoopFixture.hannah, stage: "mql")])
        let id = try fixture.handOff("L-1", to: LoopFixture.hannah, at: monday, due: monday.addingTimeInterval(8 * 3600))
        let desk = HandOffDesk(store: fixture.store, lifecycle: LoopFixture.definitions.lifecycle)
        try refused(fixture, "no hand-off 999") { _ = try desk.accept(999, at: monday) }
        try refused(fixture, "the lifecycle has no reason 'maybe' for 'reject'; it knows bad-fit, not-ready") {
            _ = try desk.reject(id, reason: "maybe", at: monday)
        }
        try refused(fixture, "is not a reason") { _ = try desk.reject(id, reason: "not\r\nready", at: monday) }
        try refused(fixture, "accept it before recording a touch") { _ = try desk.touch(id, at: monday) }
        try refused(fixture, "'won' is not allowed for a lead in stage 'mql'; it is allowed from opportunity") {
            _ = try desk.outcome(lead: "L-1", action: "won", at: monday)
        }
        try refused(fixture, "the lifecycle has no action 'celebrate'") { _ = try desk.outcome(lead: "L-1", action: "celebrate", at: monday) }
        try refused(fixture, "is not an action") { _ = try desk.outcome(lead: "L-1", action: "won)(", at: monday) }
        try refused(fixture, "no lead 'nobody@example.com'") { _ = try desk.outcome(lead: "nobody@example.com", action: "accept", at: monday) }
        // Another rep's hand-off is not theirs to answer: it does not exist for them.
        try refused(fixture, "no hand-off \(id)") { _ = try desk.accept(id, repEmail: LoopFixture.marcus.email, at: monday) }

        _ = try desk.accept(id, at: monday)
        try refused(fixture, "already accepted") { _ = try desk.reject(id, reason: "not-ready", at: monday) }
        try refused(fixture, "cannot come before the hand-off") { _ = try desk.touch(id, at: monday.addingTimeInterval(-60)) }
    }

    @Test func requestsThatCannotRun() throws {
        let fixture = try LoopFixture("nurture-request-refusals")
        defer { fixture.remove() }
        let definitions = LoopFixture.definitions
        _ = try fixture.store.upsert([
            LoopFixture.lead("L-1", owner: LoopFixture.hannah), LoopFixture.lead("L-2"),
            LoopFixture.lead("L-3", stage: "lead"),
        ])
        // L-2 unsubscribed: the suppression is on file.
        _ = try fixture.store.append([InboxItem(id: "u", leadID: "L-2", at: monday, payload: .event(kind: "unsubscribe", category: nil, sequence: nil, step: nil))])
        let desk = RequestDesk(store: fixture.store, definitions: definitions)
        let marcus = LoopFixture.marcus.email
        try refused(fixture, "no sequence 'post-demo'") {
            _ = try desk.request("post-demo", lead: "L-1", repEmail: LoopFixture.hannah.email, note: nil, until: nil, reassign: false, at: monday)
        }
        try refused(fixture, "no rep eve@example.com") {
            _ = try desk.request("post-demo-not-ready", lead: "L-1", repEmail: "eve@example.com", note: nil, until: nil, reassign: false, at: monday)
        }
        try refused(fixture, "belongs to Hannah Lee <hannah.lee@example.com>; add --reassign") {
            _ = try desk.request("post-demo-not-ready", lead: "L-1", repEmail: marcus, note: nil, until: nil, reassign: false, at: monday)
        }
        try refused(fixture, "cannot enter post-demo-not-ready: its rep priya.raman@example.com has no phone, which the emails use") {
            _ = try desk.request("post-demo-not-ready", lead: "L-2", repEmail: "priya.raman@example.com", note: nil, until: nil, reassign: false, at: monday)
        }
        try refused(fixture, "cannot enter post-demo-not-ready: outside the audience") {
            _ = try desk.request("post-demo-not-ready", lead: "L-3", repEmail: marcus, note: nil, until: nil, reassign: false, at: monday)
        }
        try refused(fixture, "--until must be in the future") {
            _ = try desk.request("post-demo-not-ready", lead: "L-1", repEmail: LoopFixture.hannah.email, note: nil, until: monday, reassign: false, at: monday)
        }
        try refused(fixture, "at most 2,000") {
            _ = try desk.request("post-demo-not-ready", lead: "L-1", repEmail: LoopFixture.hannah.email, note: String(repeating: "x", count: 2_001),
                                 until: nil, reassign: false, at: monday)
        }
        try refused(fixture, "no request 42") { _ = try desk.cancel(42, at: monday) }
    }

    @Test func aSuppressedLeadCannotBeRequested() throws {
        let fixture = try LoopFixture("nurture-request-suppressed")
        defer { fixture.remove() }
        _ = try fixture.store.upsert([LoopFixture.lead("L-9", owner: LoopFixture.marcus)])
        // The address bounced: the scheduler put it on the suppression list.
        let lead = LoopFixture.lead("L-9", owner: LoopFixture.marcus)
        let engine = Engine(LoopFixture.definitions)
        var state = engine.start(lead, at: monday)
        _ = engine.step(&state, lead: lead, input: .event(EngagementEvent(.hardBounce)), at: monday)
        try fixture.store.commit([LeadUpdate(
            leadID: "L-9", state: state, processed: [], sends: [], handOffs: [], suppression: (lead.email, "hard_bounce"), audit: [])],
            now: monday)
        let desk = RequestDesk(store: fixture.store, definitions: LoopFixture.definitions)
        try refused(fixture, "is suppressed") {
            _ = try desk.request("post-demo-not-ready", lead: "L-9", repEmail: LoopFixture.marcus.email, note: nil, until: nil, reassign: false, at: monday)
        }
    }
}
