import Foundation
import NurtureCore
import NurtureScheduler
import NurtureSMTP
import NurtureStore
import NurtureTestSupport
import Testing

/// A relay that refuses for good: an unknown mailbox suppresses the address; a configuration error
/// (authentication required, none given) stops the scheduler without using up the send's attempts.
@Suite(.timeLimit(.minutes(8)))
struct PermanentFailureTests {
    @Test(
        "550 5.1.1 at RCPT TO: the send fails and the address is suppressed for good",
        .enabled(if: TestServers.runSinkTests, "needs smtp-sink (always runs under CI=true)"))
    func unknownUserSuppresses() async throws {
        let folder = try TemporaryFolder.make("nurture-bounce")
        defer { TemporaryFolder.remove(folder) }
        let definitions = try RelayOutageTests.fixtureDefinitions(in: folder)
        let sink = try SMTPSink(["-f", "rcpt", "-B", "550 5.1.1 User unknown"])
        defer { sink.stop() }
        let monday = utc(2026, 3, 2, 9)
        let rig = try VirtualRig(folder: folder, definitions: definitions, relay: sink.url, start: monday)
        let file = try rig.file()
        let lead = RelayOutageTests.leads(1, prefix: "B")[0]
        _ = try rig.store.upsert([lead])
        try rig.enroll([lead.id], in: "blast")

        let pass = try await rig.scheduler.pass()
        #expect(pass.failed == 1 && pass.sent == 0 && pass.retried == 0, "\(pass)")
        let send = try #require(try file.sends().first)
        #expect(send.status == "failed")
        #expect(send.attempts == 1)
        #expect(send.lastCode == 550)
        #expect(send.lastText == "5.1.1 User unknown")
        let suppression = try file.rows("SELECT email, reason FROM suppression")
        #expect(suppression.count == 1)
        #expect(suppression.first?["email"] as String? == lead.email)
        #expect((suppression.first?["reason"] as String?)?.hasPrefix("hard bounce: 550") == true, "\(suppression)")
        var shouting = lead
        shouting.id = "B-shouting"
        shouting.email = lead.email.uppercased()
        _ = try rig.store.upsert([shouting])
        #expect(try rig.store.leadsForSending([shouting.id, lead.id])[shouting.id]?.suppressed == true, "suppression ignores case")

        // Later emails to the address are cancelled before any SMTP traffic.
        try rig.enroll([lead.id], in: "morning")
        let later = try await rig.scheduler.pass()
        #expect(later.cancelled == 1 && later.failed == 0, "\(later)")
        let morning = try #require(try file.sends("sequence = 'morning'").first)
        #expect(morning.status == "cancelled" && morning.lastText == "address suppressed")
        #expect(try rig.store.nextDue() == nil, "nothing waits: the failure is final")
    }

    @Test(
        "authentication required and no credentials: pass() throws ConfigurationError, the send waits without an attempt counted",
        .enabled(if: TestServers.runCaptureTests, "needs /usr/bin/python3 with aiosmtpd (always runs under CI=true)"))
    func configurationErrorStopsThePass() async throws {
        let folder = try TemporaryFolder.make("nurture-config")
        defer { TemporaryFolder.remove(folder) }
        let definitions = try RelayOutageTests.fixtureDefinitions(in: folder)
        let server = try CaptureServer(authRequired: true)
        defer { server.stop() }
        let monday = utc(2026, 3, 2, 9)
        let rig = try VirtualRig(folder: folder, definitions: definitions, relay: server.url, start: monday)
        let file = try rig.file()
        let leads = RelayOutageTests.leads(3, prefix: "A")
        _ = try rig.store.upsert(leads)
        try rig.enroll(leads.map(\.id), in: "blast")

        let error = await #expect(throws: Scheduler.ConfigurationError.self) { try await rig.scheduler.pass() }
        #expect(error?.result.outcome == .configuration)
        #expect(error?.result.code == 530, "\(String(describing: error))")
        #expect(error?.description.hasPrefix("sending stopped: configuration error, sending stopped at") == true, "\(String(describing: error))")
        #expect(server.count() == 0)
        let sends = try file.sends()
        #expect(sends.count == 3)
        for send in sends {
            #expect(send.status == "pending", "\(send.key)")
            #expect(send.attempts == 0, "\(send.key): a configuration error uses up no attempt")
            #expect(send.nextAttemptAt > monday)
            #expect(send.lastText?.contains("not sent") == true, "\(send.lastText ?? "")")
        }
        #expect(try file.count("SELECT COUNT(*) FROM suppression") == 0)
    }

    @Test(
        "nurture run against a relay that demands authentication exits with status 2 and says why",
        .enabled(if: TestServers.runCaptureTests, "needs /usr/bin/python3 with aiosmtpd (always runs under CI=true)"))
    func runExitsWithStatusTwo() throws {
        let binary = try NurtureCLI.path()
        let folder = try TemporaryFolder.make("nurture-config-cli")
        defer { TemporaryFolder.remove(folder) }
        let (definitions, db) = try TestEnvironment.enrolledStore(in: folder)
        let server = try CaptureServer(authRequired: true)
        defer { server.stop() }

        // No NURTURE_SMTP_* in its environment, whatever the test runner has.
        var environment = ProcessInfo.processInfo.environment
        environment["NURTURE_SMTP_USERNAME"] = nil
        environment["NURTURE_SMTP_PASSWORD"] = nil
        let run = try ChildProcess(
            name: "nurture run", executable: binary,
            arguments: ["run", "--db", db, "--relay", server.url, "--definitions", definitions], environment: environment)
        defer { run.stop() }
        #expect(run.wait(timeout: .seconds(30)), "nurture run stops by itself on a configuration error")
        #expect(run.termination.status == 2 && !run.termination.signalled, "\(run.termination)")
        let errors = run.errors
        #expect(errors.contains("error: sending stopped: configuration error, sending stopped at"), "\(errors)")
        #expect(errors.contains("530"), "\(errors)")
        #expect(server.count() == 0)
        let file = try StoreFile(db)
        #expect(try file.count("SELECT COUNT(*) FROM send WHERE status = 'pending' AND attempts = 0") == 2)
    }
}
