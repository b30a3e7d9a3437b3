import Foundation
import NurtureCore
import NurturePostgres
import NurtureStore
import NurtureTestSupport
import Testing

/// The check `nurture tick` makes before anything else, on both stores: nothing due, something
/// due, and "cannot tell", which sends `tick` down the full path that reports the trouble.
struct IdleCheckTests {
    static let t = utc(2026, 3, 2, 9)
    static let lead = Lead(id: "L-1", email: "l1@example.org", timeZone: TimeZone(identifier: "UTC"), stage: "lead", attributes: [:])

    @Test(arguments: StoreBackEnd.inUse)
    func idleDueAndCannotTell(_ backEnd: StoreBackEnd) throws {
        switch backEnd {
        case .sqlite:
            let folder = try TemporaryFolder.make("nurture-idle")
            defer { TemporaryFolder.remove(folder) }
            let path = folder.appendingPathComponent("nurture.sqlite").path
            #expect(SQLiteStore.hasDueWork(path: path, now: Self.t) == nil, "no file yet")
            try Self.story(try SQLiteStore(path: path)) { SQLiteStore.hasDueWork(path: path, now: $0) }
        case .postgres:
            let url = try TestPostgres.freshDatabase()
            defer { TestPostgres.drop(url) }
            let location = try PostgresLocation(url: url)
            #expect(PostgresStore.hasDueWork(location, now: Self.t) == nil, "no schema yet")
            let store = try PostgresStore(location)
            defer { store.close() }
            try Self.story(store) { PostgresStore.hasDueWork(location, now: $0) }
            let nobody = try PostgresLocation(url: "postgres://nurture@127.0.0.1:\(try Ports.free())/nurture?sslmode=disable")
            #expect(PostgresStore.hasDueWork(nobody, now: Self.t) == nil, "no server there")
        }
    }

    /// An empty store is idle; a paced enrolment an hour ahead is not due until its hour.
    static func story(_ store: any SharedStore, _ check: (Date) -> Bool?) throws {
        #expect(check(t) == false)
        _ = try store.upsert([lead])
        _ = try store.append([InboxItem.enrollment(in: "blast", leadID: lead.id, at: t.addingTimeInterval(3_600))])
        #expect(check(t) == false)
        #expect(check(t.addingTimeInterval(3_600)) == true)
    }
}
