import Foundation
import NurtureCore
import NurtureOperations
import NurtureStore
import NurtureTestSupport
import Testing

/// A paced enrolment through the scheduler on a virtual clock, with the process restarted halfway:
/// every lead starts at its paced start, none on the weekend, and the restart moves nothing.
@Suite(.timeLimit(.minutes(8)))
struct PacedEnrollmentRestartTests {
    @Test(.enabled(if: TestServers.runCaptureTests, "needs /usr/bin/python3 with aiosmtpd (always runs under CI=true)"))
    func leadsStartAsThePaceSaysAcrossAWeekendAndARestartChangesNothing() async throws {
        let folder = try TemporaryFolder.make("nurture-paced-restart")
        defer { TemporaryFolder.remove(folder) }
        let definitions = try RelayOutageTests.fixtureDefinitions(in: folder)
        // Friday 4 December 2026, 14:00 in New York (the lifecycle's business hours: 09:00-17:00).
        let friday = utc(2026, 12, 4, 19)
        let relay = try CaptureServer()
        defer { relay.stop() }
        let first = try VirtualRig(folder: folder, definitions: definitions, relay: relay.url, start: friday)
        _ = try first.store.upsert(RelayOutageTests.leads(150, prefix: "P"))
        let desk = EnrollmentDesk(store: first.store, definitions: definitions)
        #expect(try desk.enroll(where: try ConditionParser.parse("stage == lead"), in: "blast", at: friday, pace: .perBusinessDay(50)) == 150)
        let paced = try Dictionary(uniqueKeysWithValues: first.file().rows("SELECT lead_id, at FROM inbox").map {
            ($0["lead_id"] as String, Date(timeIntervalSince1970: $0["at"]))
        })

        // Until Monday noon in New York, then a new process on the same store until the end.
        _ = try await first.drive(until: utc(2026, 12, 7, 17))
        let startedBeforeRestart = try first.file().count("SELECT COUNT(*) FROM inbox WHERE processed = 1")
        let second = try VirtualRig(folder: folder, definitions: definitions, relay: relay.url, start: utc(2026, 12, 7, 17))
        _ = try await second.drive(until: utc(2026, 12, 14, 22))
        #expect(startedBeforeRestart > 19 && startedBeforeRestart < 150, "the restart came halfway: \(startedBeforeRestart)")

        var perDay: [String: Int] = [:]
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "America/New_York")
        formatter.dateFormat = "yyyy-MM-dd EEE"
        for (id, start) in paced {
            let state = try #require(try second.store.lead(id)?.1, "\(id) was run")
            let enrollment = try #require(state.enrollments.first { $0.sequence == "blast" }, "\(id) entered blast")
            #expect(abs(enrollment.enrolledAt.timeIntervalSince(start)) < 0.001, "\(id) started at its paced start")
            perDay[formatter.string(from: enrollment.enrolledAt), default: 0] += 1
        }
        #expect(perDay.keys.allSatisfy { !$0.hasSuffix("Sat") && !$0.hasSuffix("Sun") }, "\(perDay)")
        #expect(perDay.values.allSatisfy { $0 <= 50 }, "\(perDay)")
        // Three of Friday's eight business hours hold 19 starts (one every 9.6 minutes), then 50 a day.
        #expect(perDay == ["2026-12-04 Fri": 19, "2026-12-07 Mon": 50, "2026-12-08 Tue": 50, "2026-12-09 Wed": 31], "\(perDay)")
    }
}
