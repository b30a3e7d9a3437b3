import Foundation
import NurtureCore
import NurtureStore
import NurtureTestSupport
import Testing

/// Rep notices also go to a webhook as signed JSON: the receiver checks the signature on its
/// own, a 503 is retried with the scheduler's backoff, and the payload carries the summary.
@Suite(.timeLimit(.minutes(8)))
struct WebhookNoticeTests {
    static let secret = "a shared secret of some length"

    @Test(
        "a hand-off is posted to the webhook, signed; a 503 is retried; the JSON has the hand-off and its summary",
        .enabled(if: TestServers.runCaptureTests, "needs /usr/bin/python3 with aiosmtpd (always runs under CI=true)"))
    func handOffPostedSignedAndRetried() async throws {
        let folder = try TemporaryFolder.make("nurture-webhook-notices")
        defer { TemporaryFolder.remove(folder) }
        let receiver = try WebhookReceiver(secret: Self.secret, failFirst: 1)
        defer { receiver.stop() }
        let server = try CaptureServer()
        defer { server.stop() }
        let definitionsFolder = try TestEnvironment.makeDefinitions(in: folder)
        let lifecycleFile = definitionsFolder.appendingPathComponent("lifecycle.yml")
        let from = "  from: {name: Nurture at Northwind, email: nurture@example.com}\n"
        let text = try String(contentsOf: lifecycleFile, encoding: .utf8)
        try #require(text.contains(from))
        try text.replacingOccurrences(of: from, with: from + "  webhook: \(receiver.url)\n")
            .write(to: lifecycleFile, atomically: true, encoding: .utf8)
        let definitions = try TestEnvironment.loadDefinitions(definitionsFolder.path).get()
        #expect(definitions.lifecycle.notices.webhook == receiver.url)

        let start = utc(2026, 3, 2, 14)
        let rig = try VirtualRig(folder: folder, definitions: definitions, relay: server.url, start: start) {
            $0.webhookSecret = Array(Self.secret.utf8)
        }
        _ = try rig.store.upsert([SalesLoopStoryTests.ana])
        for (kind, category) in [(EngagementEvent.Kind.pageVisit, "demo"), (.pageVisit, "pricing"), (.emailClick, "pricing")] {
            rig.clock.advance(by: 60)
            try rig.event(kind, lead: "L-1", category: category)
        }
        try await rig.drive(until: start.addingTimeInterval(3_600))

        let requests = try receiver.requests()
        try #require(requests.count == 2, "\(requests.map(\.request.answered))")
        #expect(requests.map(\.request.answered) == [503, 200])
        #expect(requests.allSatisfy { $0.request.signature_valid }, "the receiver's own HMAC check")
        #expect(requests[0].request.headers["X-Nurture-Delivery"] == requests[1].request.headers["X-Nurture-Delivery"])
        let body = requests[1].body
        #expect(body["kind"] as? String == "hand_off")
        #expect((body["lead"] as? [String: Any])?["email"] as? String == "ana.silva@acme.example")
        #expect((body["rep"] as? [String: Any])?["email"] as? String == "hannah.lee@example.com")
        let handOff = try #require(body["hand_off"] as? [String: Any])
        #expect(handOff["grade"] as? String == "A")
        #expect((handOff["summary"] as? [String: Any])?["pages_seen"] as? [String] == ["demo", "pricing"])
        let rows = try rig.file().rows("SELECT status, attempts FROM notice WHERE channel = 'webhook'")
        #expect(rows.map { "\($0["status"] as String) \($0["attempts"] as Int)" } == ["sent 2"])
        // The email went too.
        #expect(try server.messages().contains { $0.header("Subject")?.hasPrefix("Hand-off #") ?? false })
    }
}
