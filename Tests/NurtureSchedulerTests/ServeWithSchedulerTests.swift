import Foundation
import NurtureTestSupport
import Testing

/// `nurture serve --with-scheduler`: one process answers the web service and delivers the queue
/// through the relay; SIGTERM stops both cleanly.
@Suite(.timeLimit(.minutes(8)))
struct ServeWithSchedulerTests {
    @Test(
        "serve --with-scheduler delivers due sends, serves /healthz and /metrics, and exits 0 on SIGTERM",
        .enabled(if: TestServers.runCaptureTests, "needs /usr/bin/python3 with aiosmtpd (always runs under CI=true)"))
    func servesAndSends() throws {
        let binary = try NurtureCLI.path()
        let folder = try TemporaryFolder.make("nurture-serve")
        defer { TemporaryFolder.remove(folder) }
        let (definitions, db) = try TestEnvironment.enrolledStore(in: folder)
        let server = try CaptureServer()
        defer { server.stop() }
        let port = try Ports.free()

        let serve = try ChildProcess(
            name: "nurture serve", executable: binary,
            arguments: [
                "serve", "--with-scheduler", "--listen", "127.0.0.1:\(port)", "--db", db, "--definitions", definitions,
                "--relay", server.url,
            ])
        defer { serve.stop() }
        try serve.wait(timeout: .seconds(60)) { server.count() == 2 }
        let health = try ToolRun.run("/usr/bin/curl", ["-s", "--max-time", "10", "http://127.0.0.1:\(port)/healthz"])
        #expect(health.stdout == "ok\n", "\(health.stderr)")
        let metrics = try ToolRun.run("/usr/bin/curl", ["-s", "--max-time", "10", "http://127.0.0.1:\(port)/metrics"])
        #expect(metrics.stdout.contains(#"nurture_sends{result="sent"} 2"#), "\(metrics.stdout)")

        serve.signal(SIGTERM)
        #expect(serve.wait(timeout: .seconds(20)), "SIGTERM stops the service and the scheduler")
        #expect(serve.termination.status == 0 && !serve.termination.signalled, "\(serve.termination) \(serve.errors)")
        #expect(serve.errors.contains("route=/healthz") && serve.errors.contains("route=/metrics"), "one log line per request")
        #expect(server.count() == 2, "each lead's email once")
    }
}
