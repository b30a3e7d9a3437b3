import Foundation
import NurtureTestSupport
import NurtureCore
import NurtureOperations
import NurtureStore
import Testing

/// Enrollment requests: what a condition selects, as the engine sees each lead at the given time,
/// and that asking twice queues nothing new.
@Suite("Enrollment desk")
struct EnrollmentDeskTests {
    let monday = utc(2026, 3, 2, 15)

    @Test func aConditionSelectsLeadsByTheirFactsAndRequestsAreQueuedOnce() throws {
        let fixture = try LoopFixture("nurture-enroll")
        defer { fixture.remove() }
        _ = try fixture.store.upsert([
            LoopFixture.lead("L-1", stage: "lead"),
            LoopFixture.lead("L-2", stage: "lead", title: "Student"),
            LoopFixture.lead("L-3", stage: "sal"),
        ])
        let desk = EnrollmentDesk(store: fixture.store, definitions: LoopFixture.definitions)
        #expect(try desk.matching(try ConditionParser.parse("stage == lead"), at: monday) == ["L-1", "L-2"])
        let vp = try ConditionParser.parse("stage == lead and fit in [A, B]")
        #expect(try desk.matching(vp, at: monday) == ["L-1"], "the fit grade is the engine's, from the title")
        #expect(try desk.enroll(where: vp, in: "post-webinar", at: monday) == 1)
        #expect(try desk.enroll(where: vp, in: "post-webinar", at: monday) == 0, "the same request again is not queued twice")
        #expect(try desk.enroll(lead: "l-3@prospect.example", in: "post-webinar", at: monday) == 1, "by email, whatever its case")
    }

    @Test func anUnknownSequenceOrLeadIsRefusedAndNothingIsQueued() throws {
        let fixture = try LoopFixture("nurture-enroll-refused")
        defer { fixture.remove() }
        _ = try fixture.store.upsert([LoopFixture.lead("L-1", stage: "lead")])
        let desk = EnrollmentDesk(store: fixture.store, definitions: LoopFixture.definitions)
        let before = try fixture.snapshot()
        #expect(throws: OperationError("no lead 'L-9' in the store")) { try desk.enroll(lead: "L-9", in: "post-webinar", at: monday) }
        let unknown = #expect(throws: OperationError.self) {
            try desk.enroll(where: try ConditionParser.parse("stage == lead"), in: "webinar", at: monday)
        }
        #expect(unknown?.description.hasPrefix("no sequence 'webinar'; known: post-demo-not-ready, post-webinar") == true)
        #expect(try fixture.snapshot() == before)
    }
}
