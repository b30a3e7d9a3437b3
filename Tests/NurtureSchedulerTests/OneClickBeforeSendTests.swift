import Foundation
import NurtureTestSupport
import NurtureTokens
import Testing

/// RFC 8058 end to end: a one-click POST to `nurture serve` over a real socket, while an email to
/// the address waits in the outbox. The address is suppressed at once, so the scheduler's next
/// pass cancels the send.
@Suite(.timeLimit(.minutes(8)))
struct OneClickBeforeSendTests {
    @Test(
        "a one-click POST answers 200 without cookie or redirect, and the queued send is cancelled",
        .enabled(if: TestServers.runCaptureTests, "needs /usr/bin/python3 with aiosmtpd (always runs under CI=true)"))
    func oneClickCancelsTheQueuedSend() async throws {
        let binary = try NurtureCLI.path()
        let folder = try TemporaryFolder.make("nurture-one-click")
        defer { TemporaryFolder.remove(folder) }
        let definitions = try TestEnvironment.loadDefinitions(try TestEnvironment.makeDefinitions(in: folder).path).get()
        let relayPort = try Ports.free()
        let monday = UnsubscribeTests.nextMonday()
        let rig = try VirtualRig(folder: folder, definitions: definitions, relay: "smtp://127.0.0.1:\(relayPort)", start: monday)
        let lead = RelayOutageTests.leads(1, prefix: "O")[0]
        _ = try rig.store.upsert([lead])
        try rig.enroll([lead.id], in: "morning")
        // The relay is down: the email waits in the outbox for its retry.
        let first = try await rig.scheduler.pass()
        #expect(first.queued == 1 && first.retried == 1, "\(first)")
        let queued = try #require(try rig.file().sends().first)

        let port = try Ports.free()
        let serve = try ChildProcess(
            name: "nurture serve", executable: binary, arguments: ["serve", "--db", rig.dbPath, "--listen", "127.0.0.1:\(port)"])
        defer { serve.stop() }
        let keyring = try Keyring.load(path: try #require(ProcessInfo.processInfo.environment["NURTURE_KEYS"]))
        let token = LinkToken.sign(.init(purpose: .unsubscribe, leadID: lead.id, messageKey: queued.key), with: keyring)
        var answer = ToolRun?.none
        try serve.wait(timeout: .seconds(30)) {
            answer = try? ToolRun.run("/usr/bin/curl", [
                "-s", "-i", "--max-time", "10", "-X", "POST", "-H", "Content-Type: application/x-www-form-urlencoded",
                "--data", "List-Unsubscribe=One-Click", "http://127.0.0.1:\(port)/unsubscribe?t=\(token)",
            ])
            return answer?.status == 0
        }
        let response = try #require(answer).stdout
        #expect(response.hasPrefix("HTTP/1.1 200"), "\(response)")
        let headers = response.components(separatedBy: "\r\n\r\n")[0].lowercased()
        #expect(!headers.contains("\nlocation:") && !headers.contains("\nset-cookie:"), "\(headers)")
        #expect(try rig.file().count("SELECT COUNT(*) FROM suppression") == 1, "suppressed at once, before any pass")

        // The relay is back and the retry is due: nothing reaches the address.
        let server = try CaptureServer(port: relayPort)
        defer { server.stop() }
        rig.clock.advance(to: queued.nextAttemptAt)
        let pass = try await rig.scheduler.pass()
        #expect(pass.sent == 0 && pass.cancelled == 1, "\(pass)")
        #expect(server.count() == 0)
        #expect(try rig.file().sends().first?.status == "cancelled")
    }
}
