import Foundation
import GRDB

extension SQLiteStore {
    /// The store as it is now, for reading table by table while writers go on: what a copy to
    /// another store reads, so that the copy is of one instant.
    public func snapshot() throws -> TableSnapshot { TableSnapshot(try pool.makeSnapshot()) }
}

/// The tables of a SQLite store at one instant, read in pages by rowid: a reader can stop between
/// pages (to write them elsewhere) and carry on, as it could not with one long-lived cursor.
public final class TableSnapshot: Sendable {
    private let snapshot: DatabaseSnapshot

    init(_ snapshot: DatabaseSnapshot) { self.snapshot = snapshot }

    /// A table's name and its columns.
    public struct Table: Sendable {
        public let name: String
        public let columns: [String]
    }

    /// The store's tables in `StoreTables.copyOrder`. Throws when the file holds a table that the
    /// copy order does not know, so that a table added later is never left behind unnoticed.
    public func tables() throws -> [Table] {
        try snapshot.read { db in
            let present = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'")
            let unknown = Set(present).subtracting(StoreTables.copyOrder)
            guard unknown.isEmpty else {
                throw SQLiteStore.Unusable(
                    description: "the store holds tables this version cannot copy: \(unknown.sorted().joined(separator: ", "))")
            }
            return try StoreTables.copyOrder.filter(present.contains).map { name in
                Table(name: name, columns: try Row.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [name]).map { $0[0] })
            }
        }
    }

    /// Up to `limit` rows of `table` after the row `after` (a rowid; 0 for the first page), in rowid
    /// order, each as its values in the table's column order, and the rowid to read on from.
    public func rows(of table: Table, after: Int64, limit: Int) throws -> (rows: [[StoredValue]], last: Int64) {
        let list = table.columns.map { "\"\($0)\"" }.joined(separator: ", ")
        return try snapshot.read { db in
            var rows: [[StoredValue]] = []
            var last = after
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT _rowid_, \(list) FROM \"\(table.name)\" WHERE _rowid_ > ? ORDER BY _rowid_ LIMIT ?",
                arguments: [after, limit])
            while let row = try cursor.next() {
                last = row[0]
                rows.append((1...table.columns.count).map { StoredValue(row[$0] as DatabaseValue) })
            }
            return (rows, last)
        }
    }
}

extension StoredValue {
    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case let .int64(value): self = .integer(value)
        case let .double(value): self = .real(value)
        case let .string(value): self = .text(value)
        case let .blob(value): self = .blob([UInt8](value))
        }
    }
}
