import Foundation
import NurtureCore
import NurtureStore
import NurtureTestSupport
import Testing

/// The web service's own records, on SQLite and on PostgreSQL alike: sign-in links and sessions,
/// API tokens, and rep actions with deal values for the closed-loop report. Part of the serialized
/// store suite (see `StoreContractTests`).
extension StoreContractTests {
    @Test("a sign-in link is good once, until it expires, and starts a session that lasts until it ends or expires",
          arguments: StoreBackEnd.inUse)
    func signInLinksAndSessions(_ backEnd: StoreBackEnd) throws {
        let opened = try backEnd.open()
        let store = opened.store
        let expires = Self.t.addingTimeInterval(900)
        try store.addSignInLink(hash: "link-1", email: "Ana@Example.com", expiresAt: expires, now: Self.t)
        try store.addSignInLink(hash: "link-2", email: "ben@example.com", expiresAt: expires, now: Self.t)
        #expect(try store.signInLink(hash: "link-1", now: Self.t) == .valid(email: "ana@example.com"))
        #expect(try store.signInLink(hash: "link-1", now: Self.t) == .valid(email: "ana@example.com"), "looking does not use it")
        #expect(try store.signInLink(hash: "nope", now: Self.t) == .unknown)
        #expect(try store.signInLink(hash: "link-2", now: expires) == .expired)
        #expect(try store.signIn(linkHash: "link-2", sessionHash: "s-2", sessionExpiresAt: expires, now: expires) == .expired)

        let later = Self.t.addingTimeInterval(60), sessionEnds = Self.t.addingTimeInterval(86_400)
        #expect(try store.signIn(linkHash: "link-1", sessionHash: "s-1", sessionExpiresAt: sessionEnds, now: later)
                == .valid(email: "ana@example.com"))
        #expect(try store.signIn(linkHash: "link-1", sessionHash: "s-3", sessionExpiresAt: sessionEnds, now: later) == .used)
        #expect(try store.signInLink(hash: "link-1", now: later) == .used)
        #expect(try store.sessionEmail(hash: "s-1", now: later) == "ana@example.com")
        #expect(try store.sessionEmail(hash: "s-3", now: later) == nil, "a used link starts no session")
        #expect(try store.sessionEmail(hash: "s-1", now: sessionEnds) == nil, "expired")
        try store.endSession(hash: "s-1")
        #expect(try store.sessionEmail(hash: "s-1", now: later) == nil, "ended")
        try store.endSession(hash: "s-1")

        // Links long expired are cleared when a new one is issued.
        try store.addSignInLink(hash: "link-3", email: "cleo@example.com", expiresAt: Self.t.addingTimeInterval(200_000),
                                now: Self.t.addingTimeInterval(100_000))
        #expect(try store.signInLink(hash: "link-2", now: Self.t.addingTimeInterval(100_000)) == .unknown)
    }

    @Test("two sign-ins with the same link at once start one session", arguments: StoreBackEnd.inUse)
    func concurrentSignInsUseTheLinkOnce(_ backEnd: StoreBackEnd) throws {
        let opened = try backEnd.open()
        try opened.store.addSignInLink(hash: "link", email: "ana@example.com", expiresAt: Self.t.addingTimeInterval(900), now: Self.t)
        let stores = [opened.store, try opened.another(), opened.store, try opened.another()]
        let outcomes = Claims()
        DispatchQueue.concurrentPerform(iterations: stores.count) { index in
            let state = try? stores[index].signIn(
                linkHash: "link", sessionHash: "s-\(index)", sessionExpiresAt: Self.t.addingTimeInterval(3600), now: Self.t)
            outcomes.add(["\(state.map { "\($0)" } ?? "error")"])
        }
        #expect(outcomes.keys.sorted() == ["used", "used", "used", "valid(email: \"ana@example.com\")"], "\(outcomes.keys)")
        let sessions = try (0..<stores.count).filter { try opened.store.sessionEmail(hash: "s-\($0)", now: Self.t) != nil }
        #expect(sessions.count == 1)
    }

    @Test("API tokens are found by hash until revoked, revoked once, and listed oldest first", arguments: StoreBackEnd.inUse)
    func apiTokens(_ backEnd: StoreBackEnd) throws {
        let opened = try backEnd.open()
        let store = opened.store
        let crm = try store.addAPIToken(kind: .source, name: "crm", hash: "h-crm", at: Self.t)
        let rep = try store.addAPIToken(kind: .rep, name: "ana@example.com", hash: "h-ana", at: Self.t.addingTimeInterval(1))
        #expect(crm != rep)
        #expect(try store.activeAPIToken(hash: "h-crm") == APITokenRecord(id: crm, kind: .source, name: "crm", createdAt: Self.t, revokedAt: nil))
        #expect(try store.activeAPIToken(hash: "h-other") == nil)
        #expect(try store.revokeAPIToken(crm, at: Self.t.addingTimeInterval(60)))
        #expect(try !store.revokeAPIToken(crm, at: Self.t.addingTimeInterval(120)), "revoked already")
        #expect(try !store.revokeAPIToken(9_999, at: Self.t), "no such token")
        #expect(try store.activeAPIToken(hash: "h-crm") == nil)
        #expect(try store.apiTokens().map(\.id) == [crm, rep])
        #expect(try store.apiTokens().first?.revokedAt == Self.t.addingTimeInterval(60))
        #expect(throws: (any Error).self, "a hash is unique") { try store.addAPIToken(kind: .source, name: "again", hash: "h-ana", at: Self.t) }
    }

    @Test("outcomes keep their deal values; the action log is read back by period, oldest first", arguments: StoreBackEnd.inUse)
    func dealValuesOnTheActionLog(_ backEnd: StoreBackEnd) throws {
        let opened = try backEnd.open()
        let store = opened.store
        _ = try store.upsert([Self.lead(1), Self.lead(2)])
        let won = DealValue(hundredths: 1_250_000, currency: "EUR")
        try store.recordAction(RepAction("won"), value: won, leadID: "C-1", at: Self.t.addingTimeInterval(100), source: "rep")
        try store.recordAction(RepAction("qualify"), leadID: "C-2", handOffID: nil, at: Self.t.addingTimeInterval(50), source: "import")
        // The same outcome again (an export ingested twice) is recorded once.
        try store.recordAction(RepAction("won"), value: won, leadID: "C-1", at: Self.t.addingTimeInterval(100), source: "rep")

        let all = try store.repActions(since: nil, until: nil)
        #expect(all.map(\.leadID) == ["C-2", "C-1"])
        #expect(all.map(\.action) == ["qualify", "won"])
        #expect(all.map(\.value) == [nil, won])
        #expect(all.last?.source == "rep" && all.last?.at == Self.t.addingTimeInterval(100))
        #expect(try store.repActions(since: Self.t.addingTimeInterval(60), until: nil).map(\.leadID) == ["C-1"])
        #expect(try store.repActions(since: nil, until: Self.t.addingTimeInterval(100)).map(\.leadID) == ["C-2"])
        #expect(try store.hasRecorded(RepAction("won"), leadID: "C-1", at: Self.t.addingTimeInterval(100)))
        // The engine hears of the outcome.
        let claimed = try store.claimDueLeads(now: Self.t.addingTimeInterval(200), limit: 10, leaseUntil: Self.t.addingTimeInterval(260))
        #expect(claimed.first { $0.lead.id == "C-1" }?.inbox.count == 1)
    }
}
