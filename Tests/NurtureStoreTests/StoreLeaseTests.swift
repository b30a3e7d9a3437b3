import Foundation
import NurtureCore
import NurtureStore
import NurtureTestSupport
import Testing

/// The store's leases, as a process that died holding them leaves them.
struct StoreLeaseTests {
    static let t = utc(2026, 3, 2, 9)

    static func store(_ folder: URL) throws -> SQLiteStore {
        let store = try SQLiteStore(path: folder.appendingPathComponent("nurture.sqlite").path)
        _ = try store.upsert([
            Lead(id: "S-1", email: "s1@example.org", timeZone: TimeZone(identifier: "UTC"), stage: "lead", attributes: [:]),
            Lead(id: "S-2", email: "s2@example.org", timeZone: TimeZone(identifier: "UTC"), stage: "lead", attributes: [:]),
        ])
        return store
    }

    @Test("a lead leased by a process that died is due again when its lease runs out, not before (no busy loop)")
    func leasedLeadIsDueWhenTheLeaseEnds() throws {
        let folder = try TemporaryFolder.make("nurture-lease")
        defer { TemporaryFolder.remove(folder) }
        let store = try Self.store(folder)
        _ = try store.append([InboxItem(id: "e-1", leadID: "S-1", at: Self.t, payload: .enroll(sequence: "blast"))])
        #expect(try store.nextDue() == Self.t)

        // Claimed, then the process dies before committing.
        let claimed = try store.claimDueLeads(now: Self.t, limit: 10, leaseUntil: Self.t.addingTimeInterval(120))
        #expect(claimed.map(\.lead.id) == ["S-1"])
        #expect(try store.nextDue() == Self.t.addingTimeInterval(120))
        #expect(try store.claimDueLeads(now: Self.t.addingTimeInterval(60), limit: 10, leaseUntil: Self.t.addingTimeInterval(180)).isEmpty)

        // Another lead due later but before the lease ends comes first.
        _ = try store.append([InboxItem(id: "e-2", leadID: "S-2", at: Self.t.addingTimeInterval(30), payload: .enroll(sequence: "blast"))])
        #expect(try store.nextDue() == Self.t.addingTimeInterval(30))

        // After the lease, the first lead is taken over with what arrived for it.
        let again = try store.claimDueLeads(now: Self.t.addingTimeInterval(121), limit: 10, leaseUntil: Self.t.addingTimeInterval(241))
        #expect(Set(again.map(\.lead.id)) == ["S-1", "S-2"])
        #expect(again.first { $0.lead.id == "S-1" }?.inbox.map(\.id) == ["e-1"])
    }
}
