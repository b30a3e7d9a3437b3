import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NurtureCore
import NurtureServer
import NurtureStore
import NurtureTestSupport
import NurtureTokens
import Synchronization
import Testing

/// What operators see: `/metrics` in Prometheus's format, and one log line per request that
/// never carries a token.
@Suite(.timeLimit(.minutes(8)))
struct OperationsRouteTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    func store(_ folder: URL) throws -> SQLiteStore {
        let store = try SQLiteStore(path: folder.appendingPathComponent("nurture.sqlite").path)
        _ = try store.upsert([Lead(id: "L-1", email: "ana@acme.example", stage: "lead", attributes: [:])])
        return store
    }

    @Test func metricsShowTheStoresFiguresAndTheRequestsByRouteAndStatus() async throws {
        let folder = try TemporaryFolder.make("nurture-metrics")
        defer { TemporaryFolder.remove(folder) }
        let keyring = Keyring.rotated(nil, now: Date())
        let service = WebService(store: try store(folder), keyring: keyring)
        let token = LinkToken.sign(.init(purpose: .unsubscribe, leadID: "L-1", messageKey: "m"), with: keyring)
        try await Application(router: service.router()).test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = String(buffer: response.body)
                #expect(text.contains("nurture_suppressed 0"), "\(text)")
                #expect(text.contains("nurture_queue_depth 0") && text.contains("nurture_handoffs_open 0"))
            }
            try await client.execute(
                uri: "/unsubscribe?t=\(token)", method: .post, headers: Self.form, body: ByteBuffer(string: "List-Unsubscribe=One-Click")
            ) { #expect($0.status == .ok) }
            try await client.execute(uri: "/unsubscribe?t=forged", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("nurture_suppressed 1"), "\(text)")
                #expect(text.contains(#"nurture_http_requests_total{route="/unsubscribe",method="POST",status="200"} 1"#), "\(text)")
                #expect(text.contains(#"nurture_http_requests_total{route="/unsubscribe",method="GET",status="404"} 1"#))
                #expect(text.contains("nurture_http_request_duration_seconds_bucket"))
                #expect(!text.contains(token) && !text.contains("forged"), "routes are named by pattern, never by path")
            }
        }
    }

    @Test func everyRequestLogsOneLineWithItsRouteAndNeverAToken() async throws {
        let folder = try TemporaryFolder.make("nurture-log")
        defer { TemporaryFolder.remove(folder) }
        let keyring = Keyring.rotated(nil, now: Date())
        let service = WebService(store: try store(folder), keyring: keyring)
        let token = LinkToken.sign(.init(purpose: .unsubscribe, leadID: "L-1", messageKey: "m"), with: keyring)
        let lines = RecordedLog()
        var logger = Logger(label: "test") { _ in lines.handler() }
        logger.logLevel = .trace
        try await Application(router: service.router(), logger: logger).test(.router) { client in
            try await client.execute(uri: "/unsubscribe?t=\(token)", method: .get) { #expect($0.status == .ok) }
            var headers = Self.form
            headers[.authorization] = "Bearer secret-\(token)"
            try await client.execute(
                uri: "/unsubscribe?t=\(token)", method: .post, headers: headers,
                body: ByteBuffer(string: "List-Unsubscribe=One-Click")
            ) { #expect($0.status == .ok) }
            try await client.execute(uri: "/nowhere/\(token)", method: .get) { #expect($0.status == .notFound) }
        }
        let requests = lines.all.filter { $0.hasPrefix("request ") }
        #expect(requests.count == 3, "\(lines.all)")
        #expect(requests.contains { $0.contains("route=/unsubscribe") && $0.contains("status=200") && $0.contains("method=POST") })
        #expect(requests.contains { $0.contains("status=404") && !$0.contains("/nowhere") }, "an unmatched path is not logged: \(requests)")
        for line in lines.all {
            #expect(!line.contains(token) && !line.contains("L-1") && !line.contains("secret"), "\(line)")
        }
    }
}

/// Every line logged, as "message key=value ...", with the metadata of the logger and the call.
final class RecordedLog: Sendable {
    private let storage = Mutex<[String]>([])
    var all: [String] { storage.withLock { $0 } }

    func handler() -> Handler { Handler(log: self) }

    struct Handler: LogHandler {
        let log: RecordedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            let line = ([event.message.description] + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
            log.storage.withLock { $0.append(line) }
        }
    }
}
