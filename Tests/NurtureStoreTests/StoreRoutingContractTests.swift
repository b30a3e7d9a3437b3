import Foundation
import NurtureCore
import NurtureStore
import NurtureTestSupport
import Testing

/// Capacity-aware routing where the hand-off is recorded, on SQLite and on PostgreSQL alike: the
/// store counts the day's assignments and the lead's rejecters in the transaction that records the
/// hand-off, so the same policy gives the same ledger on both, and writers never overfill a rep.
/// Part of the serialized store suite (see `StoreContractTests`).
extension StoreContractTests {
    static let queue = Rep(name: "Sales Development", email: "sdr-queue@example.com")
    static let ana = Rep(name: "Ana Ruiz", email: "ana@example.com")
    static let ben = Rep(name: "Ben Okafor", email: "ben@example.com")
    static let cleo = Rep(name: "Cleo Park", email: "cleo@example.com")

    /// Business hours on weekdays, in UTC: Monday 2 March 2026 is one business day.
    static func routing(_ members: [Team.Member]) -> HandOffRouting.Rules {
        HandOffRouting.Rules(
            teams: [Team(name: "AEs", members: members)], defaultOwner: queue,
            businessHours: SendWindow(days: [.monday, .tuesday, .wednesday, .thursday, .friday], opens: 9 * 3600, closes: 17 * 3600,
                                      timeZone: TimeZone(identifier: "UTC")!))
    }

    /// A pass's commit that hands lead `number` off to the queue, to be routed by `rules`, with an
    /// email notice for the hand-off.
    static func routedHandOff(_ number: Int, at: Date, rules: HandOffRouting.Rules) -> LeadUpdate {
        let handOff = HandOff(rep: queue, reason: "meeting booked", sequence: "welcome", score: 80, grade: "A",
                              due: at.addingTimeInterval(86_400), at: at)
        var update = update(number)
        update.handOffs = [NewHandOff(handOff, summary: nil, definitionsVersion: 1, routing: rules)]
        update.notices = [NewNotice(kind: .handOff, rep: queue, detail: .init(message: "call them", at: at), channels: [.email], handOffIndex: 0)]
        return update
    }

    @Test("routing honours capacity, breaks ties in turn, records each reason and sends the notice to the routed rep",
          arguments: StoreBackEnd.inUse)
    func routingByCapacityAndRotation(_ backEnd: StoreBackEnd) throws {
        let opened = try backEnd.open()
        let store = opened.store
        let rules = Self.routing([.init(rep: Self.ana, capacity: 2), .init(rep: Self.ben, capacity: 2)])
        _ = try store.upsert((1...5).map(Self.lead))
        #expect(try store.routingCursor() == nil)
        for number in 1...5 {
            try store.commit([Self.routedHandOff(number, at: Self.t.addingTimeInterval(Double(number) * 600), rules: rules)], now: Self.t)
        }
        let ledger = try store.handOffs(HandOffFilter(), now: Self.t).map { "\($0.leadID) \($0.repEmail ?? "-") (\($0.routeReason ?? "-"))" }
        #expect(ledger == [
            "C-1 ana@example.com (default-queue, rotation)",
            "C-2 ben@example.com (default-queue, most-capacity-left)",
            "C-3 ana@example.com (default-queue, rotation)",
            "C-4 ben@example.com (default-queue, most-capacity-left)",
            "C-5 ana@example.com (default-queue, rotation, everyone-at-capacity)",
        ])
        #expect(try store.routingCursor() == "ana@example.com")
        let notices = try store.claimDueNotices(now: Self.t, limit: 10, leaseUntil: Self.t.addingTimeInterval(60))
        let routed = try store.handOffs(HandOffFilter(), now: Self.t)
        #expect(notices.count == 5)
        for notice in notices {
            #expect(notice.repEmail == routed.first { $0.id == notice.handOffID }?.repEmail, "the notice goes to the routed rep")
        }
        // A hand-off recorded without teams keeps the engine's rep and has no reason.
        var plain = Self.update(1)
        plain.handOffs = [NewHandOff(HandOff(rep: Self.cleo, reason: "score", sequence: nil, score: 90, grade: "A", due: nil, at: Self.t),
                                     summary: nil, definitionsVersion: 1)]
        try store.commit([plain], now: Self.t)
        let last = try #require(try store.handOffs(HandOffFilter(repEmail: "cleo@example.com"), now: Self.t).first)
        #expect(last.routeReason == nil)
        #expect(try store.routingCursor() == "ana@example.com")
    }

    @Test("a rep who rejected the lead is passed over when it comes back, whatever their capacity left", arguments: StoreBackEnd.inUse)
    func rejecterIsPassedOver(_ backEnd: StoreBackEnd) throws {
        let opened = try backEnd.open()
        let store = opened.store
        let rules = Self.routing([.init(rep: Self.ana, capacity: 5), .init(rep: Self.ben, capacity: 1)])
        _ = try store.upsert([Self.lead(1)])
        try store.commit([Self.routedHandOff(1, at: Self.t, rules: rules)], now: Self.t)
        let first = try #require(try store.handOffs(HandOffFilter(leadID: "C-1"), now: Self.t).first)
        #expect(first.repEmail == "ana@example.com")
        try store.answer(first.id, with: RepAction("reject(not-ready)"), accepted: false, touchDue: nil, movesLead: false,
                         at: Self.t.addingTimeInterval(60), source: "test")

        try store.commit([Self.routedHandOff(1, at: Self.t.addingTimeInterval(3600), rules: rules)], now: Self.t)
        let again = try store.handOffs(HandOffFilter(leadID: "C-1"), now: Self.t)
        #expect(again.count == 2)
        #expect(again.last?.repEmail == "ben@example.com", "Ana has 4 left and Ben 1, but Ana rejected the lead")
        #expect(again.last?.routeReason == "default-queue, most-capacity-left, rejected-before-excluded")
    }

    @Test("two stores routing hand-offs at once take turns on the cursor: every rep gets exactly their capacity, none more",
          arguments: StoreBackEnd.inUse)
    func concurrentRoutingNeverOverfills(_ backEnd: StoreBackEnd) throws {
        let opened = try backEnd.open()
        let capacity = 15
        let rules = Self.routing([Self.ana, Self.ben, Self.cleo].map { .init(rep: $0, capacity: capacity) })
        let leads = 3 * capacity
        _ = try opened.store.upsert((1...leads).map(Self.lead))
        let other = try opened.another()
        let writers = [opened.store, other, opened.store, other]
        let failures = Claims()
        DispatchQueue.concurrentPerform(iterations: writers.count) { index in
            for number in stride(from: index + 1, through: leads, by: writers.count) {
                do {
                    try writers[index].commit([Self.routedHandOff(number, at: Self.t.addingTimeInterval(Double(number)), rules: rules)],
                                              now: Self.t)
                } catch {
                    failures.add(["C-\(number): \(error)"])
                }
            }
        }
        #expect(failures.keys.isEmpty)
        let ledger = try opened.store.handOffs(HandOffFilter(), now: Self.t)
        #expect(ledger.count == leads)
        let perRep = Dictionary(grouping: ledger, by: { $0.repEmail ?? "-" }).mapValues(\.count)
        #expect(perRep == ["ana@example.com": capacity, "ben@example.com": capacity, "cleo@example.com": capacity], "\(perRep)")
        #expect(!ledger.contains { $0.routeReason?.contains("everyone-at-capacity") == true })
    }
}
