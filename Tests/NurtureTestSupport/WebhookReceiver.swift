import Foundation

/// The capturing webhook receiver (`Tests/Servers/capture_http.py`): every POST lands in a folder
/// with its headers, its parsed body and whether its signature checked out under the secret.
public final class WebhookReceiver: Sendable {
    public struct Request: Decodable, Sendable {
        public var path: String
        public var headers: [String: String]
        public var signature_valid: Bool
        public var answered: Int
    }

    public let port: Int
    public let folder: URL
    private let server: ChildProcess

    public var url: String { "http://127.0.0.1:\(port)/hooks/nurture" }

    /// Answers 503 to the first `failFirst` requests, 200 to the rest.
    public init(secret: String, failFirst: Int = 0) throws {
        guard TestServers.hasPython else { throw SetupFailure("\(TestServers.python) is missing") }
        port = try Ports.free()
        folder = try TemporaryFolder.make("nurture-webhook")
        let script = TestServers.scripts.appendingPathComponent("capture_http.py")
        server = try ChildProcess(
            name: "webhook receiver", executable: TestServers.python,
            arguments: [script.path, String(port), folder.path, secret, "--fail-first", String(failFirst)])
        let server = server, expected = "READY 127.0.0.1 \(port)"
        try server.wait { server.output.contains(expected) }
    }

    deinit { stop() }

    public func stop() {
        server.stop()
        TemporaryFolder.remove(folder)
    }

    /// The requests received so far, in order, with their bodies as JSON objects.
    public func requests() throws -> [(request: Request, body: [String: Any])] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            let request = try JSONDecoder().decode(Request.self, from: data)
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            return (request, object?["body"] as? [String: Any] ?? [:])
        }
    }
}
