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
