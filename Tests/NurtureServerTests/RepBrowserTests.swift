import Foundation
import NurtureStore
import NurtureTestSupport
import NurtureTokens
import Testing

/// The rep's pages in a real browser: `nurture serve`, the built binary, on a loopback port, and
/// headless Chromium driven by `Tests/Servers/browser_flow.py` over the DevTools protocol. A rep
/// opens the sign-in link, presses Sign in, rejects a hand-off with a reason, and finds the
/// rejection on their service-level page; the store says the same.
@Suite(.timeLimit(.minutes(8)))
struct RepBrowserTests {
    static let chromium = "/usr/bin/chromium"

    @Test(.enabled(if: HeadlessBrowser.runTests, "needs Debian's chromium; run scripts/install-system-packages (always runs under CI=true)"))
    func aRepSignsInAndRejectsAHandOffInARealBrowser() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.chromium) else {
            throw SetupFailure("\(Self.chromium) is missing; run scripts/install-system-packages")
        }
        let fixture = try RepPagesFixture()
        defer { fixture.remove() }
        let id = try fixture.handOff("L-1", to: RepPagesFixture.hannah)
        let token = try fixture.link(for: RepPagesFixture.hannah.email)
        let port = try Ports.free()
        let base = "http://127.0.0.1:\(port)"
        let server = try ChildProcess(name: "nurture serve", executable: NurtureCLI.path(), arguments: [
            "serve", "--db", fixture.storePath, "--listen", "127.0.0.1:\(port)", "--public-url", base,
            "--definitions", fixture.definitionsFolder.path,
        ])
        defer { server.stop() }
        try server.wait { Ports.accepts(port) }

        let script = TestServers.scripts.appendingPathComponent("browser_flow.py").path
        let run = try ToolRun.run("/usr/bin/timeout", [
            "120", TestServers.python, script, Self.chromium, "\(base)/signin/\(token)", String(id), "not-ready", "l-1@prospect.example",
        ])
        #expect(run.status == 0, "\(run.stdout) \(run.stderr) \(server.errors)")
        #expect(run.stdout.contains("\"ok\": true"), "\(run.stdout)")

        let record = try #require(try fixture.store.handOff(id))
        #expect(record.status == .rejected && record.answer == "reject(not-ready)")
        #expect(try fixture.store.signInLink(hash: #require(SecretToken(token)).hash, now: Date()) == .used)
    }
}
