import Foundation
import NurtureTestSupport
import Testing

/// `nurture render` and `nurture send-test`, run as the built binary against real relays.
struct CLIDeliveryTests {
    static let lead = "examples/leads/priya-natarajan.yml"

    @Test(.enabled(if: TestServers.runCaptureTests, "needs /usr/bin/python3 (always runs under CI=true)"))
    func renderPrintsAMessageAStrictParserAccepts() throws {
        let run = try NurtureCLI.run(["render", "post-webinar", "recording", "--lead", Self.lead])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try MIMESummary.check(bytes: Array(run.stdoutData), replyTo: true)
        #expect(summary.subject == "Priya, the recording of Forecasts your board will believe: running a weekly revenue call")
        #expect(summary.from == .init(name: "Elena Marsh", address: "elena.marsh@example.com"))
        #expect(summary.to == .init(name: "Priya Natarajan", address: "priya.natarajan@example.org"))
        #expect(summary.reply_to == .init(name: "Hannah Lindqvist", address: "hannah.lindqvist@example.com"))
        #expect(summary.message_id.hasSuffix("@example.com>"))
        #expect(summary.text?.hasPrefix("Hi Priya,\n") == true)
        #expect(summary.html?.contains("<strong>Forecasts your board will believe: running a weekly revenue call</strong>") == true)
        #expect(summary.list_unsubscribe.first?.hasPrefix("https://nurture.example.com/unsubscribe?t=") == true)

        // The same step for the same lead gets the same Message-ID: it is keyed, not random.
        let again = try NurtureCLI.run(["render", "post-webinar", "recording", "--lead", Self.lead])
        let second = try MIMESummary.check(bytes: Array(again.stdoutData), replyTo: true)
        #expect(second.message_id == summary.message_id)
    }

    @Test(.enabled(if: TestServers.runCaptureTests, "needs /usr/bin/python3 with aiosmtpd (always runs under CI=true)"))
    func sendTestDeliversToTheTestAddress() throws {
        let server = try CaptureServer()
        defer { server.stop() }
        let run = try NurtureCLI.run([
            "send-test", "--relay", server.url, "--to", "you@example.org", "post-webinar", "recording", "--lead", Self.lead,
        ])
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
        #expect(run.stdout.contains(" to you@example.org: delivered at done: 250 2.0.0 Ok: captured as 0001"), "\(run.stdout)")
        let captured = try server.messages()
        try #require(captured.count == 1)
        let message = captured[0]
        #expect(message.envelope.rcpt_tos == ["you@example.org"])
        #expect(message.envelope.mail_from == "elena.marsh@example.com")
        let summary = try MIMESummary.check(message.file, replyTo: true)
        #expect(summary.to == .init(name: "Priya Natarajan", address: "you@example.org"))
        #expect(run.stdout.hasPrefix(summary.message_id), "the printed line names the Message-ID that arrived")
    }

    @Test(.enabled(if: TestServers.runSinkTests, "needs smtp-sink (always runs under CI=true)"))
    func sendTestFailsWithTheRelaysRejection() throws {
        let sink = try SMTPSink(["-f", "rcpt", "-B", "550 5.1.1 User unknown"])
        defer { sink.stop() }
        let run = try NurtureCLI.run([
            "send-test", "--relay", sink.url, "--to", "nobody@example.org", "post-webinar", "recording", "--lead", Self.lead,
        ])
        #expect(run.status != 0)
        #expect(run.status == 1, "a permanent failure exits 1 (75 is for transient ones)")
        let output = run.stdout + run.stderr
        #expect(output.contains("550 5.1.1 User unknown"), "\(output)")
        #expect(output.contains("permanent failure, address suppressed at RCPT TO"), "\(output)")
    }

    @Test(.enabled(if: TestServers.runSinkTests, "needs smtp-sink (always runs under CI=true)"))
    func sendTestExitsTempFailOnGreylisting() throws {
        let sink = try SMTPSink(["-r", "rcpt", "-b", "451 4.7.1 Greylisted"])
        defer { sink.stop() }
        let run = try NurtureCLI.run([
            "send-test", "--relay", sink.url, "--to", "you@example.org", "post-webinar", "recording", "--lead", Self.lead,
        ])
        #expect(run.status == 75, "\(run.stdout) \(run.stderr)")
        #expect(run.stdout.contains("451 4.7.1 Greylisted"))
    }

    @Test func sendTestRefusesAnUnusableAddress() throws {
        let port = try Ports.free()
        let run = try NurtureCLI.run([
            "send-test", "--relay", "smtp://127.0.0.1:\(port)", "--to", "you@@example.org", "post-webinar", "recording",
            "--lead", Self.lead,
        ])
        #expect(run.status != 0)
        #expect(run.stderr.contains("exactly one @"), "\(run.stderr)")
    }
}
