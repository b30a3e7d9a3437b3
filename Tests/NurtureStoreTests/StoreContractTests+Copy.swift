import Foundation
import NurtureCore
import NurturePostgres
import NurtureStore
import NurtureTestSupport
import Testing

extension StoreContractTests {
    @Test(
        "a copied store goes on as the file would have: pending sends are due, a leased one comes back when its lease ends",
        .enabled(if: TestPostgres.inUse, "needs PostgreSQL (scripts/test starts one)"))
    func copiedQueueCarriesOn() throws {
        let source = try StoreBackEnd.sqlite.open()
        let file = try #require(source.store as? SQLiteStore)
        _ = try file.upsert([Self.lead(1), Self.lead(2), Self.lead(3)])
        let later = Self.t.addingTimeInterval(3600)
        try file.commit(
            [Self.update(1, sends: [Self.send(1)]), Self.update(2, sends: [Self.send(2)]), Self.update(3, sends: [Self.send(3, due: later)])],
            now: Self.t)
        let leased = try file.claimDueSends(now: Self.t, limit: 1, leaseUntil: Self.t.addingTimeInterval(120))
        try #require(leased.count == 1)

        let target = try StoreBackEnd.postgres.open()
        let store = try #require(target.store as? PostgresStore)
        let copies = try store.copy(from: try file.snapshot(), pageSize: 2)
        #expect(copies.map(\.table) == StoreTables.copyOrder)
        #expect(copies.first { $0.table == "send" }?.digest.rows == 3)

        let pending = Set([Self.send(1).key, Self.send(2).key]).subtracting(leased.map(\.key))
        #expect(Set(try store.claimDueSends(now: Self.t, limit: 10, leaseUntil: Self.t.addingTimeInterval(300)).map(\.key)) == pending)
        let afterLease = Self.t.addingTimeInterval(121)
        #expect(try store.rescueExpiredSends(now: afterLease) == 1)
        #expect(try store.claimDueSends(now: afterLease, limit: 10, leaseUntil: afterLease.addingTimeInterval(300)).map(\.key) == leased.map(\.key))
        #expect(try store.claimDueSends(now: later, limit: 10, leaseUntil: later.addingTimeInterval(300)).map(\.key) == [Self.send(3).key])
        #expect(throws: (any Error).self) { try store.copy(from: try file.snapshot()) }
    }
}

extension StoreContractTests {
    @Test("a rate limit holds across schedulers: two handles claiming together get no more than the shared allowance", arguments: StoreBackEnd.inUse)
    func rateLimitIsShared(_ backEnd: StoreBackEnd) throws {
        let opened = try backEnd.open()
        let store = opened.store, other = try opened.another()
        _ = try store.upsert((1...40).map(Self.lead))
        try store.commit((1...40).map { Self.update($0, sends: [Self.send($0)]) }, now: Self.t)
        let rate = SendRate(perSecond: 5)
        var claimed: [String] = []
        // Twenty claims of up to 100, from either handle in turn, over two seconds.
        for step in 0..<20 {
            let now = Self.t.addingTimeInterval(Double(step) / 10)
            let handle = step.isMultiple(of: 2) ? store : other
            claimed += try handle.claimDueSends(now: now, limit: 100, leaseUntil: now.addingTimeInterval(300), rate: rate).map(\.key)
        }
        #expect(claimed.count == 5 + 9, "the first second's 5 at once, then 5 a second for 1.9 s: \(claimed.count)")
        #expect(Set(claimed).count == claimed.count)
        let unlimited = try store.claimDueSends(now: Self.t.addingTimeInterval(2), limit: 100, leaseUntil: Self.t.addingTimeInterval(300))
        #expect(unlimited.count == 40 - claimed.count, "without a rate, every due send")
    }
}
