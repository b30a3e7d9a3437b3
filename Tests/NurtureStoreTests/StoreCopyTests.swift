import Foundation
import GRDB
import NurtureStore
import NurtureTestSupport
import Testing

@testable import NurturePostgres

/// The pieces of `nurture store copy` that need no server: which tables it copies, how a SQLite
/// value becomes a PostgreSQL column's, and the digest it compares.
struct StoreCopyTests {
    @Test("the copy order names every table a new SQLite store has, and a table it does not know stops the copy")
    func copyOrderCoversTheSchema() throws {
        let folder = try TemporaryFolder.make("nurture-copy-order")
        defer { TemporaryFolder.remove(folder) }
        let path = folder.appendingPathComponent("store.sqlite").path
        let store = try SQLiteStore(path: path)
        #expect(try store.snapshot().tables().map(\.name) == StoreTables.copyOrder)
        #expect(try store.snapshot().tables().first { $0.name == "lead" }?.columns.first == "id")

        try DatabaseQueue(path: path).write { try $0.execute(sql: "CREATE TABLE campaign_notes (id INTEGER PRIMARY KEY)") }
        #expect(throws: SQLiteStore.Unusable.self) { try store.snapshot().tables() }
    }

    @Test("pages by rowid read every row once, from one instant: rows written after the snapshot are not in it")
    func snapshotPages() throws {
        let folder = try TemporaryFolder.make("nurture-copy-pages")
        defer { TemporaryFolder.remove(folder) }
        let path = folder.appendingPathComponent("store.sqlite").path
        let store = try SQLiteStore(path: path)
        let writer = try DatabaseQueue(path: path)
        try writer.write { db in
            for number in 0..<25 {
                try db.execute(sql: "INSERT INTO suppression (email, reason, at) VALUES (?, 'test', ?)", arguments: ["s\(number)@example.org", number])
            }
        }
        let snapshot = try store.snapshot()
        try writer.write { try $0.execute(sql: "INSERT INTO suppression (email, reason, at) VALUES ('late@example.org', 'test', 99)") }
        let table = try #require(try snapshot.tables().first { $0.name == "suppression" })
        var seen: [StoredValue] = [], after: Int64 = 0
        while true {
            let page = try snapshot.rows(of: table, after: after, limit: 10)
            if page.rows.isEmpty { break }
            #expect(page.rows.count <= 10)
            seen += page.rows.map { $0[table.columns.firstIndex(of: "email")!] }
            after = page.last
        }
        #expect(seen.count == 25 && !seen.contains(.text("late@example.org")))
    }

    @Test("values become the column's kind when they can, and are refused when they cannot without a change")
    func coercion() {
        #expect(PostgresColumnKind.real.coerce(.integer(1_700_000_000)) == .real(1_700_000_000))
        #expect(PostgresColumnKind.bigint.coerce(.real(42)) == .integer(42))
        #expect(PostgresColumnKind.bigint.coerce(.real(42.5)) == nil)
        #expect(PostgresColumnKind.integer.coerce(.integer(Int64(Int32.max) + 1)) == nil)
        #expect(PostgresColumnKind.smallint.coerce(.integer(-5)) == .integer(-5))
        #expect(PostgresColumnKind.boolean.coerce(.integer(2)) == nil)
        #expect(PostgresColumnKind.bytes.coerce(.text("{}")) == .blob(Array("{}".utf8)))
        #expect(PostgresColumnKind.text.coerce(.blob(Array("plain".utf8))) == .text("plain"))
        #expect(PostgresColumnKind.text.coerce(.blob([0xFF, 0xFE])) == nil, "not UTF-8")
        #expect(PostgresColumnKind.text.coerce(.text("a\u{0}b")) == nil, "PostgreSQL text holds no NUL")
        #expect(PostgresColumnKind.text.coerce(.integer(1)) == nil)
        #expect(PostgresColumnKind.real.coerce(.text("1.5")) == nil)
        #expect(PostgresColumnKind.text.coerce(.null) == .null)
        #expect(PostgresColumnKind(dataType: "double precision") == .real && PostgresColumnKind(dataType: "jsonb") == nil)
    }

    @Test("a table's digest does not depend on row order, and sees a changed, missing or retyped value")
    func digest() {
        let rows: [[StoredValue]] = [
            [.text("L-1"), .real(1.5), .blob([1, 2])], [.text("L-2"), .null, .blob([])], [.text("L-3"), .real(-0.0), .integer(7)],
        ]
        func digest(_ rows: [[StoredValue]]) -> TableDigest { rows.reduce(into: TableDigest()) { $0.add($1) } }
        let whole = digest(rows)
        #expect(whole.rows == 3)
        #expect(digest(rows.reversed()) == whole)
        #expect(digest(Array(rows.dropLast())) != whole)
        var changed = rows
        changed[1][1] = .real(0)
        #expect(digest(changed) != whole)
        changed = rows
        changed[2][2] = .text("7")
        #expect(digest(changed) != whole, "the integer 7 and the text 7 differ")
        changed = rows
        changed[0][0] = .text("L-1 ")
        #expect(digest(changed) != whole)
    }
}
