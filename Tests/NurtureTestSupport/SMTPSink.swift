import Foundation

/// Postfix's `smtp-sink`, told to misbehave (`-Q connect`, `-r rcpt -b "451 ..."`,
/// `-f rcpt -B "550 ..."`), for the relay replies a friendly server never gives.
public final class SMTPSink: Sendable {
    public let port: Int
    private let server: ChildProcess

    public var url: String { "smtp://127.0.0.1:\(port)" }

    public init(_ options: [String]) throws {
        guard TestServers.hasSMTPSink else { throw SetupFailure("smtp-sink is missing; run scripts/install-system-packages") }
        guard TestServers.hasPython else {
            throw SetupFailure("\(TestServers.python) is missing; run scripts/install-system-packages")
        }
        port = try Ports.free()
        // smtp-sink refuses to run as root without -u; 100 is the listen backlog. It runs tethered
        // (Tests/Servers/tether.py), so that it dies with the test process even if that crashes.
        let command = [TestServers.smtpSink, "-u", "nobody"] + options + ["127.0.0.1:\(port)", "100"]
        let tether = TestServers.scripts.appendingPathComponent("tether.py")
        server = try ChildProcess(name: "smtp-sink", executable: TestServers.python, arguments: [tether.path] + command)
        let port = port
        try server.wait { Ports.accepts(port) }
    }

    deinit { stop() }

    public func stop() { server.stop() }
}
