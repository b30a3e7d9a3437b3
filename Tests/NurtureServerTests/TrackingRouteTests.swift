import Foundation
import Hummingbird
import HummingbirdTesting
import NurtureCore
import NurtureDefinitions
import NurtureServer
import NurtureStore
import NurtureTestSupport
import NurtureTokens
import Testing

/// Signed click and open tracking against a real SQLite store: redirects only to the stored
/// address, 404 and nothing recorded for any bad token, the pixel always, and machines kept apart.
@Suite(.timeLimit(.minutes(8)))
struct TrackingRouteTests {
    static let definitions: DefinitionSet = {
        guard let definitions = DefinitionLoader.load(directory: PackageFolders.sequences.path).definitions else {
            fatalError("the shipped definitions do not load")
        }
        return definitions
    }()

    static let browser: HTTPFields = [
        .userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
    ]
    static let links = [
        "https://northwind.example.com/customers/fernhill?utm_source=nurture&x=1", "https://northwind.example.com/pricing",
        "https://northwind.example.com/roi",
    ]

    struct Fixture {
        let folder: URL
        let store: SQLiteStore
        let keyring = Keyring.rotated(nil, now: Date())
        let lead = Lead(
            id: "L-1", email: "ana@acme.example", timeZone: TimeZone(identifier: "America/New_York"), stage: "lead",
            attributes: [
                "first_name": "Ana", "company": "Acme", "company_size": "800", "title": "VP Revenue Operations", "industry": "software",
                "webinar_title": "Weekly revenue call",
            ])

        init() throws {
            folder = try TemporaryFolder.make("nurture-tracking")
            store = try SQLiteStore(path: folder.appendingPathComponent("nurture.sqlite").path)
            _ = try store.upsert([lead])
        }

        /// The service's clock, fixed: how long after delivery a click comes is the test's to say,
        /// however slowly the machine runs it.
        let now = Date()

        func service(_ keyring: Keyring? = nil) -> Application<RouterResponder<WebContext>> {
            var service = WebService(store: store, keyring: keyring ?? self.keyring)
            let now = now
            service.now = { now }
            return Application(router: service.router())
        }

        /// The first post-webinar email, queued by the engine and recorded as the scheduler records
        /// it: sent `deliveredAgo` seconds ago, with `links` stored. Returns its key.
        @discardableResult
        func sent(links: [String] = TrackingRouteTests.links, deliveredAgo: TimeInterval = 600) throws -> String {
            let engine = Engine(TrackingRouteTests.definitions)
            // Monday 2 March 2026, 10:00 in New York: inside the sequence's send window.
            let enrolled = Date(timeIntervalSince1970: 1_772_463_600)
            var state = engine.start(lead, at: enrolled)
            let effects = engine.step(&state, lead: lead, input: .enroll(sequence: "post-webinar"), at: enrolled)
            let send = try #require(effects.compactMap { if case let .send(send) = $0 { send } else { nil } }.first)
            let queued = QueuedSend(send: send, leadID: lead.id)
            try store.commit(
                [LeadUpdate(leadID: lead.id, state: state, processed: [], sends: [queued], handOffs: [], suppression: nil, audit: [])],
                now: enrolled)
            _ = try store.claimDueSends(now: enrolled, limit: 10, leaseUntil: enrolled.addingTimeInterval(300))
            try store.record(
                .sent(messageID: "<m@example.com>", code: 250, text: "ok"), for: queued.key, links: links,
                now: now.addingTimeInterval(-deliveredAgo))
            return queued.key
        }

        func click(_ key: String, link: Int, lead: String = "L-1", keyring: Keyring? = nil) -> String {
            "/t/c/" + LinkToken.sign(.init(purpose: .click, leadID: lead, messageKey: key, link: link), with: keyring ?? self.keyring)
        }

        func open(_ key: String, keyring: Keyring? = nil) -> String {
            "/t/o/" + LinkToken.sign(.init(purpose: .open, leadID: "L-1", messageKey: key), with: keyring ?? self.keyring)
        }

        /// The opens and clicks the engine will hear of, in order.
        func events() throws -> [EngagementEvent] {
            try store.history(of: lead.id, upTo: Date().addingTimeInterval(60)).moments.map(\.event)
                .filter { $0.kind == .emailClick || $0.kind == .emailOpen }
        }

        func remove() { TemporaryFolder.remove(folder) }
    }

    @Test func aClickRedirectsToTheStoredAddressAndIsRecordedForTheEngine() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let key = try fixture.sent()
        try await fixture.service().test(.router) { client in
            for link in [1, 0] {
                try await client.execute(uri: fixture.click(key, link: link), method: .get, headers: Self.browser) { response in
                    #expect(response.status == .found)
                    #expect(response.headers[.location] == Self.links[link])
                    #expect(response.headers[.cacheControl] == "no-store")
                }
            }
        }
        let events = try fixture.events()
        #expect(events.map(\.kind) == [.emailClick, .emailClick])
        #expect(events.allSatisfy { $0.category == nil && $0.sequence == "post-webinar" && $0.step == "recording" }, "\(events)")
    }

    @Test func forgedAlteredRekeyedOrForeignTokensGet404AndRecordNothing() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let key = try fixture.sent()
        let stranger = Keyring.rotated(nil, now: Date())
        let valid = fixture.click(key, link: 0)
        // The tag's first character changed (its last one carries padding bits a decoder may ignore).
        let tagStart = valid.index(after: try #require(valid.lastIndex(of: ".")))
        let altered = valid.replacingCharacters(in: tagStart...tagStart, with: valid[tagStart] == "A" ? "B" : "A")
        let unsubscribe = "/t/c/" + LinkToken.sign(.init(purpose: .unsubscribe, leadID: "L-1", messageKey: key), with: fixture.keyring)
        let bad = [
            fixture.click(key, link: 0, keyring: stranger), altered, unsubscribe, fixture.open(key).replacingOccurrences(of: "/t/o/", with: "/t/c/"),
            fixture.click(key, link: 0, lead: "L-2"), fixture.click("L-1|post-webinar|1|recording|1", link: 0),
            "/t/c/3f1c0e5a9b7d2c4e", "/t/c/" + String(repeating: "x", count: 3_000),
        ]
        try await fixture.service().test(.router) { client in
            for uri in bad {
                try await client.execute(uri: uri, method: .get, headers: Self.browser) { response in
                    #expect(response.status == .notFound, "\(uri.prefix(40))")
                    #expect(response.headers[.location] == nil)
                }
            }
        }
        // Re-keyed: the key that signed the email was retired from the keyring.
        try await fixture.service(.rotated(nil, now: Date())).test(.router) { client in
            try await client.execute(uri: valid, method: .get, headers: Self.browser) { #expect($0.status == .notFound) }
        }
        #expect(try fixture.events().isEmpty)
    }

    @Test func neverRedirectsToAnAddressTheRequestNames() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let key = try fixture.sent()
        try await fixture.service().test(.router) { client in
            try await client.execute(
                uri: fixture.click(key, link: 0) + "?url=https://evil.example/&redirect=https://evil.example/", method: .get, headers: Self.browser
            ) { response in
                #expect(response.status == .found)
                #expect(response.headers[.location] == Self.links[0])
            }
            // A link index the message never had, and a negative one: no stored address, no redirect.
            for link in [3, 99, -1] {
                try await client.execute(uri: fixture.click(key, link: link) + "?url=https://evil.example/", method: .get, headers: Self.browser) {
                    #expect($0.status == .notFound)
                    #expect($0.headers[.location] == nil)
                }
            }
            try await client.execute(uri: "/t/c/https://evil.example/", method: .get, headers: Self.browser) { #expect($0.status == .notFound) }
        }
        #expect(try fixture.events().count == 1)
    }

    @Test func thePixelIsAlwaysAnUncachedGIFAndOnlyAGoodTokenRecordsAnOpen() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let key = try fixture.sent()
        let stranger = Keyring.rotated(nil, now: Date())
        try await fixture.service().test(.router) { client in
            for uri in [fixture.open(key), fixture.open(key, keyring: stranger), "/t/o/nonsense", fixture.click(key, link: 0).replacingOccurrences(of: "/t/c/", with: "/t/o/")] {
                try await client.execute(uri: uri, method: .get, headers: Self.browser) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "image/gif")
                    #expect(response.headers[.cacheControl] == "no-store")
                    #expect(response.body.readableBytes == 43)
                    #expect(response.body.getString(at: 0, length: 6) == "GIF89a")
                }
            }
        }
        #expect(try fixture.events().map(\.kind) == [.emailOpen])
        #expect(try fixture.events().first?.category == nil)
    }

    @Test func machineRequestsAreRecordedAsMachinesAndHEADIsAnsweredLikeGET() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let key = try fixture.sent()
        try await fixture.service().test(.router) { client in
            try await client.execute(uri: fixture.click(key, link: 1), method: .head, headers: Self.browser) { response in
                #expect(response.status == .found)
                #expect(response.headers[.location] == Self.links[1])
            }
            // Apple Mail Privacy Protection's fetcher, and an open from Apple's network behind the front end.
            try await client.execute(uri: fixture.open(key), method: .get, headers: [.userAgent: "Mozilla/5.0"]) { #expect($0.status == .ok) }
            var proxied = Self.browser
            proxied[.init("X-Forwarded-For")!] = "198.51.100.4, 17.58.100.3"
            try await client.execute(uri: fixture.open(key), method: .get, headers: proxied) { #expect($0.status == .ok) }
        }
        let events = try fixture.events()
        #expect(events.map(\.kind) == [.emailClick, .emailOpen, .emailOpen])
        #expect(events.allSatisfy { $0.category == "machine" }, "\(events)")
    }

    @Test func aClickOneSecondAfterDeliveryIsRecordedAsAMachinesAndTheEngineDoesNotScoreIt() async throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let key = try fixture.sent(deliveredAgo: 1)
        try await fixture.service().test(.router) { client in
            try await client.execute(uri: fixture.click(key, link: 0), method: .get, headers: Self.browser) { response in
                #expect(response.status == .found, "the person behind a scanner still gets where the link goes")
                #expect(response.headers[.location] == Self.links[0])
            }
        }
        #expect(try fixture.events().map(\.category) == ["machine"])

        // The engine is handed the click as the scheduler hands it, and nothing changes.
        let now = Date().addingTimeInterval(60)
        let claimed = try #require(try fixture.store.claimDueLeads(now: now, limit: 10, leaseUntil: now.addingTimeInterval(60)).first)
        var state = try #require(claimed.state)
        let before = state.score.value(at: now, model: Self.definitions.scoring)
        let engine = Engine(Self.definitions)
        for item in claimed.inbox {
            _ = engine.step(&state, lead: claimed.lead, input: try #require(item.input), at: now)
        }
        #expect(claimed.inbox.count == 1)
        #expect(state.score.value(at: now, model: Self.definitions.scoring) == before)
        #expect(!state.history.clicked)

        // The same click from a person is scored.
        var human = state
        _ = engine.step(&human, lead: claimed.lead, input: .event(EngagementEvent(.emailClick, sequence: "post-webinar", step: "recording")), at: now)
        #expect(human.score.value(at: now, model: Self.definitions.scoring) > before)
    }
}
