import Foundation

/// The capturing server (`Tests/Servers/capture_smtp.py`): every accepted message lands in a
/// folder, byte for byte, with its envelope beside it, so tests check what a relay really got.
/// It may be told which port to listen on (a relay that comes back after an outage).
public final class CaptureServer: Sendable {
    /// The login the server takes when started with `authRequired`.
    public static let username = "nurture-test"
    public static let password = "correct horse battery staple"

    public let port: Int
    public let folder: URL
    private let server: ChildProcess

    public var url: String { "smtp://127.0.0.1:\(port)" }

    public init(port: Int? = nil, authRequired: Bool = false) throws {
        guard TestServers.hasAiosmtpd else {
            throw SetupFailure("\(TestServers.python) cannot import aiosmtpd; run scripts/install-system-packages")
        }
        self.port = try port ?? Ports.free()
        folder = try TemporaryFolder.make("nurture-capture")
        let script = TestServers.scripts.appendingPathComponent("capture_smtp.py")
        var arguments = [script.path, String(self.port), folder.path, "--exit-on-stdin-eof"]
        if authRequired { arguments.append("--auth-required") }
        server = try ChildProcess(name: "capture server", executable: TestServers.python, arguments: arguments)
        let server = server, expected = "READY 127.0.0.1 \(self.port)"
        try server.wait { server.output.contains(expected) }
    }

    deinit { stop() }

    public func stop() {
        server.stop()
        TemporaryFolder.remove(folder)
    }

    /// How many messages have arrived so far.
    public func count() -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".eml") }.count
    }

    /// The messages received so far, in order of arrival.
    public func messages() throws -> [CapturedMessage] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".eml") }.sorted()
        return try names.map { name in
            let file = folder.appendingPathComponent(name)
            let side = file.deletingPathExtension().appendingPathExtension("json")
            return CapturedMessage(
                file: file, bytes: Array(try Data(contentsOf: file)),
                envelope: try JSONDecoder().decode(CapturedMessage.Envelope.self, from: Data(contentsOf: side)))
        }
    }

    /// The EHLO/HELO greetings received: one per SMTP session.
    public func sessions() -> Int {
        let log = (try? String(contentsOf: folder.appendingPathComponent("events.log"), encoding: .utf8)) ?? ""
        return log.split(separator: "\n").filter { $0.hasPrefix("EHLO") || $0.hasPrefix("HELO") }.count
    }
}
