import Foundation
import PropertyBased
import Testing
@_spi(EngineSnapshot) @testable import NurtureCore
import NurtureStore

/// The engine state's compact stored form: it keeps everything the JSON form keeps, and a damaged
/// blob is an error, never a crash or a wrong state.
@Suite("Compact stored form")
struct CompactFormTests {
    static func viaJSON(_ state: LeadState) throws -> LeadState {
        try JSONDecoder().decode(LeadState.self, from: JSONEncoder().encode(state))
    }

    static func viaCompact(_ state: LeadState) throws -> LeadState {
        try CompactForm.decode(LeadState.self, from: CompactForm.encode(state))
    }

    @Test("every state the engine reaches on random streams reads back as the JSON form does, byte-stable")
    func randomStatesRoundTrip() async throws {
        let engine = Engine(EnginePropertyTests.definitions)
        await propertyCheck(count: 60, input: EnginePropertyTests.scenarios) { scenario in
            for call in EnginePropertyTests.drive(engine, scenario).calls {
                let state = call.after
                let read = try #require(try? Self.viaCompact(state))
                #expect(read == (try? Self.viaJSON(state)))
                #expect(CompactForm.encode(read) == CompactForm.encode(state))
            }
        }
    }

    static var sample: LeadState {
        let start = Date(timeIntervalSinceReferenceDate: 800_000_000.125)
        let model = Fixtures.scoring()
        var state = LeadState(stage: "mql", score: Score(at: start), fitPoints: -12.5, grade: "B")
        state.score.award(EngagementEvent(.emailOpen), at: start, model: model)
        state.score.award(EngagementEvent(.emailClick, category: "pricing"), at: start.addingTimeInterval(90), model: model)
        state.history.record(EngagementEvent(.emailClick, category: "pricing"))
        state.history.record(EngagementEvent(.pageVisit, category: "careers"))
        state.history.record(EngagementEvent(.formFill, category: "demo"))
        state.history.record(EngagementEvent(.reply))
        let statuses: [Enrollment.Status] = [
            .active, .completed, .handedOff, .exited(.event(.unsubscribe)), .exited(.stageChanged(to: "sql")), .exited(.stalled),
        ]
        for (number, status) in statuses.enumerated() {
            var enrollment = Enrollment(sequence: "seq-\(number) é", enrolledAt: start.addingTimeInterval(Double(number) * 3_600))
            enrollment.status = status
            enrollment.position = number * 70
            enrollment.wakeAt = number.isMultiple(of: 2) ? start.addingTimeInterval(86_400) : nil
            enrollment.awaiting = number == 1
            enrollment.sentSteps = [0, 3, 63, 64, 200]
            enrollment.fired.insert(number)
            state.enrollments.append(enrollment)
        }
        state.recentSends = [start, start.addingTimeInterval(1e-3)]
        state.suppression = .complaint
        return state
    }

    @Test("a state using every field and case reads back whole")
    func everyFieldRoundTrips() throws {
        let state = Self.sample
        #expect(try Self.viaCompact(state) == Self.viaJSON(state))
        #expect(try Self.viaCompact(state).score.points == state.score.points)
        #expect(CompactForm.isCompact(CompactForm.encode(state)))
        #expect(!CompactForm.isCompact(try JSONEncoder().encode(state)))
    }

    @Test("a blob cut short, altered or from a newer version is refused with where and what")
    func damagedBlobsAreErrors() throws {
        let blob = CompactForm.encode(Self.sample)
        for length in 0..<blob.count {
            #expect(throws: CompactFormError.self) { try CompactForm.decode(LeadState.self, from: blob.prefix(length)) }
        }
        #expect(throws: CompactFormError.self) { try CompactForm.decode(LeadState.self, from: blob + [0]) }

        var newer = blob
        newer[newer.startIndex + 1] = 9
        let error = try #require(throws: CompactFormError.self) { try CompactForm.decode(LeadState.self, from: newer) }
        #expect(error.description == "stored blob, byte 1: version 9 is newer than this build reads (1)")
    }

    @Test("any single altered byte gives an error or some state, never a crash")
    func alteredBytesNeverCrash() async {
        let blob = CompactForm.encode(Self.sample)
        await propertyCheck(count: 300, input: Gen.int(in: 2...(blob.count - 1)), Gen.int(in: 0...255)) { index, value in
            var altered = blob
            altered[altered.startIndex + index] = UInt8(value)
            _ = try? CompactForm.decode(LeadState.self, from: altered)
        }
    }
}
