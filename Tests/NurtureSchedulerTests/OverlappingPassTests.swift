import Foundation
import NurtureCore
import NurtureScheduler
import NurtureStore
import NurtureTestSupport
import Testing

/// `nurture run` works the leads while the sends already queued go out; what the leads queue goes
/// out in the next pass. Nothing is lost or sent twice, and a `tick` still sends what it queued.
@Suite(.timeLimit(.minutes(8)))
struct OverlappingPassTests {
    @Test(
        "overlapping passes: each pass delivers what the one before queued, every send goes out once",
        .enabled(if: TestServers.runCaptureTests, "needs /usr/bin/python3 with aiosmtpd (always runs under CI=true)"))
    func leadsAndDeliveryOverlap() async throws {
        let folder = try TemporaryFolder.make("nurture-overlap")
        defer { TemporaryFolder.remove(folder) }
        let definitions = try RelayOutageTests.fixtureDefinitions(in: folder)
        let server = try CaptureServer()
        defer { server.stop() }
        let monday = utc(2026, 3, 2, 9)
        let rig = try VirtualRig(folder: folder, definitions: definitions, relay: server.url, start: monday) {
            $0.leadBatch = 10
            $0.sendBatch = 25
        }
        let leads = RelayOutageTests.leads(30, prefix: "V")
        _ = try rig.store.upsert(leads)
        try rig.enroll(leads.map(\.id), in: "morning")

        let first = try await rig.scheduler.overlappingPass()
        #expect(first.leads == 10 && first.queued == 10 && first.sent == 0, "the first pass has nothing queued yet: \(first)")
        var passes = [first]
        while let last = passes.last, last.didWork, passes.count < 20 {
            passes.append(try await rig.scheduler.overlappingPass())
        }
        #expect(passes[1].sent == 10 && passes[1].leads == 10, "\(passes[1])")
        #expect(passes.reduce(0) { $0 + $1.sent } == 30)
        #expect(passes.reduce(0) { $0 + $1.leads } == 30)
        let messages = try server.messages()
        #expect(messages.count == 30)
        #expect(Set(messages.compactMap(\.messageID)).count == 30, "no duplicates")
        #expect(try rig.file().sends().allSatisfy { $0.status == "sent" })
    }
}
