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
        #expect(try desk.matching(try ConditionParser.parse("stage == lead"), at: monday).map(\.id) == ["L-1", "L-2"])
        let vp = try ConditionParser.parse("stage == lead and fit in [A, B]")
        #expect(try desk.matching(vp, at: monday).map(\.id) == ["L-1"], "the fit grade is the engine's, from the title")
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

extension EnrollmentDeskTests {
    @Test func aPacedEnrolmentDatesEachRequestAtItsStartHighestScoreFirst() throws {
        let fixture = try LoopFixture("nurture-enroll-paced")
        defer { fixture.remove() }
        // L-3 and L-4 have the better fit; L-1 and L-2 tie below them and go by id.
        _ = try fixture.store.upsert([
            LoopFixture.lead("L-2", stage: "lead", title: "Student"), LoopFixture.lead("L-1", stage: "lead", title: "Student"),
            LoopFixture.lead("L-4", stage: "lead"), LoopFixture.lead("L-3", stage: "lead"),
        ])
        let desk = EnrollmentDesk(store: fixture.store, definitions: LoopFixture.definitions)
        let friday = utc(2026, 12, 4, 21)  // 16:00 in New York: one business hour left this week
        #expect(try desk.enroll(where: try ConditionParser.parse("stage == lead"), in: "post-webinar", at: friday,
                                pace: .perBusinessDay(8)) == 4)
        let rows = try fixture.snapshot().filter { $0.hasPrefix("inbox:") }
        let starts = try ["L-3", "L-4", "L-1", "L-2"].map { id in try #require(rows.first { $0.contains("lead_id:\"\(id)\"") }) }
        // One an hour: 16:00 on Friday, then the next business hours, Monday from 09:00 New York.
        let expected = [friday, utc(2026, 12, 7, 14), utc(2026, 12, 7, 15), utc(2026, 12, 7, 16)]
        for (row, at) in zip(starts, expected) {
            #expect(row.contains("at:\(at.timeIntervalSince1970)"), "\(row)")
        }
        let status = try fixture.store.status(now: friday, dayStart: friday)
        #expect(status.pacedEnrollments == 3 && status.lastPacedStart == expected[3], "the first starts now; three wait")
        #expect(try fixture.store.status(now: expected[3], dayStart: friday).pacedEnrollments == 0)
    }
}
