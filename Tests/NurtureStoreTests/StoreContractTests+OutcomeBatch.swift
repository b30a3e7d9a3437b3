import Foundation
import NurtureCore
import NurtureStore
import Testing

/// The outcomes of sends that finished together, recorded in one transaction (`record(_:now:)`):
/// each is left as if it had been recorded alone.
extension StoreContractTests {
    @Test("a batch of outcomes leaves each send as its own record would: sent with links, retried, bounced",
          arguments: StoreBackEnd.inUse)
    func batchOfOutcomes(_ backEnd: StoreBackEnd) async throws {
        let opened = try backEnd.open()
        let store = opened.store
        _ = try store.upsert((1...5).map(Self.lead))
        try store.commit((1...5).map { Self.update($0, sends: [Self.send($0)]) }, now: Self.t)
        #expect(try store.claimDueSends(now: Self.t, limit: 10, leaseUntil: Self.t.addingTimeInterval(60)).count == 5)
        let keys = (1...5).map { Self.send($0).key }
        let retryAt = Self.t.addingTimeInterval(600)
        try store.record([
            OutcomeRecord(key: keys[0], outcome: .sent(messageID: "<m1@x>", code: 250, text: "OK"), links: ["https://a.example/1", "https://a.example/2"]),
            OutcomeRecord(key: keys[1], outcome: .retry(at: retryAt, code: 451, text: "try later")),
            OutcomeRecord(key: keys[2], outcome: .sent(messageID: "<m3@x>", code: 250, text: "OK")),
            OutcomeRecord(key: keys[3], outcome: .failed(code: 550, text: "no such user", suppress: true)),
            OutcomeRecord(key: keys[4], outcome: .sent(messageID: "<m5@x>", code: 250, text: "OK"), links: ["https://b.example/"]),
        ], now: Self.t)

        let status = try store.status(now: Self.t, dayStart: Self.t)
        #expect(status.sends == ["sent": 3, "pending": 1, "failed": 1])
        #expect(status.queued == 1 && status.sentToday == 3 && status.suppressed == 1)
        #expect(try store.sentCounts(senders: ["dana@vendor.example"], since: Self.t) == ["dana@vendor.example": 3])
        #expect(try store.leadsForSending(["C-4"])["C-4"]?.suppressed == true)
        #expect(try store.claimDueSends(now: retryAt.addingTimeInterval(-1), limit: 10, leaseUntil: retryAt).isEmpty)
        #expect(try store.claimDueSends(now: retryAt, limit: 10, leaseUntil: retryAt.addingTimeInterval(60)).map(\.key) == [keys[1]])

        // Each sent message's links are there for a click, by index; the bounce told the engine.
        #expect(try await click(store, lead: "C-1", key: keys[0], link: 1)?.url == "https://a.example/2")
        #expect(try await click(store, lead: "C-5", key: keys[4], link: 0)?.url == "https://b.example/")
        #expect(try await click(store, lead: "C-3", key: keys[2], link: 0) == nil)
        let claimed = try store.claimDueLeads(now: Self.t, limit: 10, leaseUntil: Self.t.addingTimeInterval(60))
        #expect(claimed.first { $0.lead.id == "C-4" }?.inbox.map(\.id) == ["undelivered|\(keys[3])"])

        // The same batch again (a crash between the relay's answers and the commit, then the sends
        // sent again) leaves one row per link, and empty batches are nothing.
        try store.record([OutcomeRecord(key: keys[0], outcome: .sent(messageID: "<m1@x>", code: 250, text: "OK"),
                                        links: ["https://a.example/1", "https://a.example/2"])], now: Self.t)
        try store.record([], now: Self.t)
        #expect(try store.status(now: Self.t, dayStart: Self.t).sends == ["sent": 3, "sending": 1, "failed": 1])
        #expect(try await click(store, lead: "C-1", key: keys[0], link: 0)?.url == "https://a.example/1")
    }

    private func click(_ store: any SharedStore, lead: String, key: String, link: Int) async throws -> (url: String, rule: String?)? {
        try await store.recordClick(
            TrackingHit(leadID: lead, messageKey: key, link: link, at: Self.t.addingTimeInterval(5), clicksSince: Self.t), classify: { _ in nil })
    }
}
