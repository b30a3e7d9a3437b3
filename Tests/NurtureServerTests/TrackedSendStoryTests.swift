import Foundation
import Hummingbird
import HummingbirdTesting
import NurtureCore
import NurtureDefinitions
import NurtureMail
import NurtureScheduler
import NurtureServer
import NurtureSMTP
import NurtureStore
import NurtureTestSupport
import NurtureTokens
import Synchronization
import Testing

/// A tracked sequence end to end: the scheduler sends through the loopback capture server, the
/// click link is taken from the captured HTML, the service redirects to the real address, and the
/// engine scores the click on the next pass.
@Suite(.timeLimit(.minutes(8)))
struct TrackedSendStoryTests {
    /// The real clock, shifted: the email goes out "a minute ago", as a person's click would find
    /// it (a click within seconds of delivery is a scanner's), and the next pass runs at the real time.
    final class ShiftedClock: SchedulerClock {
        let offset = Mutex<TimeInterval>(-60)
        func now() -> Date { Date().addingTimeInterval(offset.withLock { $0 }) }
        func sleep(until date: Date) async {}
    }

    static let sequence = """
        id: tracked
        name: Tracked announcement
        audience: stage in [lead]
        sender: {name: Elena Marsh, email: elena.marsh@example.com}
        send_window:
          days: [mon, tue, wed, thu, fri, sat, sun]
          hours: "00:00-24:00"
          time_zone: UTC
        tracking: true
        steps:
          - id: hello
            email: tracked/hello

        """
    static let template = """
        ---
        subject: "Two things for {{first_name}}"
        ---
        Hi {{first_name}},

        [The Fernhill story](https://northwind.example.com/customers/fernhill?utm_source=nurture&x=1) and [our pricing](https://northwind.example.com/pricing).

        [Unsubscribe]({{unsubscribe_url}})

        """

    @Test(.enabled(if: TestServers.runCaptureTests, "needs /usr/bin/python3 with aiosmtpd (always runs under CI=true)"))
    func aPersonsClickOnATrackedEmailRedirectsAndIsScored() async throws {
        let folder = try TemporaryFolder.make("nurture-tracked-send")
        defer { TemporaryFolder.remove(folder) }
        let definitionsFolder = folder.appendingPathComponent("definitions")
        try TemporaryFolder.copyFiles(of: PackageFolders.sequences, to: definitionsFolder)
        try Self.sequence.write(to: definitionsFolder.appendingPathComponent("tracked.yml"), atomically: true, encoding: .utf8)
        let templates = definitionsFolder.appendingPathComponent("templates/tracked")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try Self.template.write(to: templates.appendingPathComponent("hello.md"), atomically: true, encoding: .utf8)
        let loaded = DefinitionLoader.load(directory: definitionsFolder.path)
        let definitions = try #require(loaded.definitions, "\(loaded.diagnostics.sorted.map(\.description))")
        #expect(definitions.sequences["tracked"]?.tracking == true)

        let store = try SQLiteStore(path: folder.appendingPathComponent("nurture.sqlite").path)
        let lead = Lead(id: "L-1", email: "ana@acme.example", stage: "lead", attributes: ["first_name": "Ana"])
        _ = try store.upsert([lead])
        let keyring = Keyring.rotated(nil, now: Date())
        let tracking = try TrackingLinks(publicURL: "https://mail.example.com", keyring: keyring)
        var configuration = SchedulerConfiguration(
            unsubscribe: try UnsubscribeLinks(baseURL: tracking.unsubscribeURL, mailbox: "unsubscribe@example.com", keyring: keyring),
            messageDomain: "nurture.test")
        configuration.tracking = tracking
        let port = try Ports.free()
        let server = try CaptureServer(port: port)
        defer { server.stop() }
        let sender = try SMTPSender(relay: RelayConfiguration(
            url: "smtp://127.0.0.1:\(port)", connections: 1, connectTimeout: .seconds(5), transferTimeout: .seconds(20)))
        let clock = ShiftedClock()
        let scheduler = Scheduler(store: store, definitions: definitions, sender: sender, clock: clock, configuration: configuration)
        _ = try store.append([InboxItem.enrollment(in: "tracked", leadID: lead.id, at: clock.now())])
        let pass = try await scheduler.pass()
        #expect(pass.sent == 1, "\(pass)")

        let message = try #require(try server.messages().first)
        let body = message.quotedPrintableBody
        #expect(body.contains("https://northwind.example.com/pricing"), "the text part keeps the real address")
        let marker = "href=\"https://mail.example.com/t/c/"
        let token = try #require(body.components(separatedBy: marker).dropFirst().first.map { String($0.prefix { $0 != "\"" }) })
        #expect(body.contains("src=\"https://mail.example.com/t/o/"))
        #expect(body.contains("href=\"https://mail.example.com/unsubscribe?t="), "the unsubscribe link is not tracked")

        let app = Application(router: WebService(store: store, keyring: keyring).router())
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/t/c/\(token)", method: .get, headers: [.userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"]
            ) { response in
                #expect(response.status == .found)
                #expect(response.headers[.location] == "https://northwind.example.com/customers/fernhill?utm_source=nurture&x=1")
            }
        }

        // The next pass runs the click through the engine: a person's click is scored.
        clock.offset.withLock { $0 = 1 }
        _ = try await scheduler.pass()
        let state = try #require(try store.lead(lead.id)?.1)
        #expect(state.history.clicked)
        #expect(state.score.value(at: Date(), model: definitions.scoring) > 0)
    }
}
