import Foundation
import NurtureTestSupport
import Testing

/// `nurture tick` (one pass, for cron) and `nurture status`, as the built binary on a real store.
@Suite(.timeLimit(.minutes(8)))
struct TickTests {
    @Test(
        "tick sends what is due and exits; a second tick finds nothing; status shows the result",
        .enabled(if: TestServers.runCaptureTests, "needs /usr/bin/python3 with aiosmtpd (always runs under CI=true)"))
    func tickThenStatus() throws {
        let folder = try TemporaryFolder.make("nurture-tick")
        defer { TemporaryFolder.remove(folder) }
        let definitions = try TestEnvironment.makeDefinitions(in: folder).path
        let db = folder.appendingPathComponent("nurture.sqlite").path
        let leads = folder.appendingPathComponent("leads.csv")
        try "id,email,first_name,time_zone,stage\nT-1,t1@example.org,Tess,UTC,lead\nT-2,t2@example.org,Theo,UTC,lead\nT-3,t3@example.org,Tim,UTC,customer\n"
            .write(to: leads, atomically: true, encoding: .utf8)
        #expect(try NurtureCLI.run(["leads", "import", leads.path, "--db", db]).stdout.hasPrefix("3 leads read: 3 new"))
        let enroll = try NurtureCLI.run(["enroll", "blast", "--where", "stage == lead", "--db", db, "--definitions", definitions])
        #expect(enroll.stdout.hasPrefix("2 enrollment requests for blast"), "\(enroll.stdout) \(enroll.stderr)")

        let server = try CaptureServer()
        defer { server.stop() }
        let tick = ["tick", "--db", db, "--relay", server.url, "--definitions", definitions]
        let first = try NurtureCLI.run(tick)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("leads 2, queued 2, sent 2, retried 0, failed 0"), "\(first.stdout)")
        #expect(Set(try server.messages().compactMap(\.recipient)) == ["t1@example.org", "t2@example.org"])

        let second = try NurtureCLI.run(tick)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.hasPrefix("leads 0, queued 0, sent 0"), "\(second.stdout)")
        #expect(server.count() == 2)

        let status = try NurtureCLI.run(["status", "--db", db])
        #expect(status.status == 0)
        let lines = status.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(lines.contains("leads 3"), "\(status.stdout)")
        #expect(lines.contains("queued sends 0"), "\(status.stdout)")
        #expect(lines.contains("sent today 2"), "\(status.stdout)")
        #expect(lines.contains("oldest overdue none"), "\(status.stdout)")
    }

    @Test("run, idle between passes, stops at once on SIGTERM (it does not sleep out its idle poll) and exits 0")
    func runStopsPromptlyWhenIdle() throws {
        let folder = try TemporaryFolder.make("nurture-run-idle")
        defer { TemporaryFolder.remove(folder) }
        let db = folder.appendingPathComponent("nurture.sqlite").path
        let run = try ChildProcess(
            name: "nurture run", executable: try NurtureCLI.path(),
            arguments: ["run", "--db", db, "--relay", "smtp://127.0.0.1:\(try Ports.free())", "--definitions",
                        PackageFolders.sequences.path])
        defer { run.stop() }
        try run.waitForScheduler(timeout: .seconds(20))
        Thread.sleep(forTimeInterval: 0.5)  // into its first idle sleep (5 seconds)
        let signalled = ContinuousClock.now
        run.signal(SIGTERM)
        #expect(run.wait(timeout: .seconds(10)))
        let took = ContinuousClock.now - signalled
        #expect(took < .seconds(2), "took \(took) to stop")
        #expect(run.termination.status == 0 && !run.termination.signalled, "\(run.termination) \(run.errors)")
        #expect(run.errors.contains("scheduler stopped"))
    }
}
