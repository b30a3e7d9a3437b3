import Foundation
import NurtureStore
import PostgresNIO

/// Moving a store: every table of a SQLite store copied into an empty PostgreSQL store, checked by
/// counts and checksums, in one transaction, so that a copy either lands whole or leaves nothing.
extension PostgresStore {
    /// One table as copied: its rows as read from the source, which the rows read back from
    /// PostgreSQL matched.
    public struct TableCopy: Sendable {
        public var table: String
        public var digest: TableDigest
    }

    /// Most parameters in one statement (PostgreSQL's limit is 65,535).
    static let parametersPerInsert = 60_000

    /// Copies every table of `source` into this store, which must hold no data yet. The rows are
    /// read back and compared (count and checksum, per table) before the transaction commits.
    /// `progress` is told each table when it is done.
    public func copy(
        from source: TableSnapshot, pageSize: Int = 2_000, progress: @escaping @Sendable (TableCopy) -> Void = { _ in }
    ) throws -> [TableCopy] {
        let tables = try source.tables()
        // The whole copy is one task on the client's event loops, holding one connection for its
        // transaction; it reads the file's pages there too, a few thousand rows at a time, which
        // holds up only that loop's other work for as long as one page takes to read.
        do {
            return try AsyncBridge.wait(on: executor) { [self] in
                try await client.withConnection { connection in
                    try await GuardedAttempt.run(on: connection, executor: executor, closes: closes) {
                        try await Self.inTransaction(on: connection, logger: self.logger) { connection in
                            try await self.copy(tables, from: source, pageSize: max(1, pageSize), on: connection, progress: progress)
                        }
                    }
                }
            }
        } catch {
            throw describe(error)
        }
    }

    private func copy(
        _ tables: [TableSnapshot.Table], from source: TableSnapshot, pageSize: Int, on connection: PostgresConnection,
        progress: @Sendable (TableCopy) -> Void
    ) async throws -> [TableCopy] {
        let kinds = try await columnKinds(of: tables, on: connection)
        for table in tables where !StoreTables.singletons.contains(table.name) {
            if try await connection.value(PostgresQuery(unsafeSQL: "SELECT EXISTS (SELECT 1 FROM \"\(table.name)\")"), as: Bool.self, logger: logger) == true {
                throw Failure(description: "the PostgreSQL store at \(location) already holds data (table \(table.name)); copy into an empty database")
            }
        }
        var copies: [TableCopy] = []
        for table in tables {
            let tableKinds = kinds[table.name] ?? []
            if StoreTables.singletons.contains(table.name) {
                try await connection.query(PostgresQuery(unsafeSQL: "DELETE FROM \"\(table.name)\""), logger: logger)
            }
            var digest = TableDigest()
            var after: Int64 = 0
            let perInsert = max(1, min(pageSize, Self.parametersPerInsert / max(1, table.columns.count)))
            while true {
                let page = try source.rows(of: table, after: after, limit: perInsert)
                if page.rows.isEmpty { break }
                var rows: [[StoredValue]] = []
                rows.reserveCapacity(page.rows.count)
                for row in page.rows {
                    rows.append(try Self.coerce(row, kinds: tableKinds, table: table, rowNumber: digest.rows + rows.count + 1))
                }
                for row in rows { digest.add(row) }
                try await connection.query(Self.insert(rows, into: table, kinds: tableKinds), logger: logger)
                after = page.last
            }
            let copy = TableCopy(table: table.name, digest: digest)
            copies.append(copy)
            progress(copy)
        }
        try await rebuildReadyQueue(on: connection)
        try await advanceIdentities(of: tables, on: connection)
        for (table, copy) in zip(tables, copies) {
            let back = try await digest(of: table, kinds: kinds[table.name] ?? [], on: connection)
            guard back == copy.digest else {
                throw Failure(description: "table \(table.name): copied \(copy.digest) but read back \(back); nothing was copied")
            }
        }
        return copies
    }

    /// Each copied table's columns as PostgreSQL types them, in the source's column order; throws
    /// for a table or column the PostgreSQL store lacks (it is older or newer than the source).
    private func columnKinds(of tables: [TableSnapshot.Table], on connection: PostgresConnection) async throws
        -> [String: [PostgresColumnKind]]
    {
        var types: [String: [String: String]] = [:]
        for try await (table, column, type) in try await connection.query(
            "SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns WHERE table_schema = current_schema()",
            logger: logger
        ).decode((String, String, String).self) {
            types[table, default: [:]][column] = type
        }
        var kinds: [String: [PostgresColumnKind]] = [:]
        for table in tables {
            guard let columns = types[table.name] else {
                throw Failure(description: "the PostgreSQL store at \(location) has no table \(table.name); is it from another version of nurture?")
            }
            kinds[table.name] = try table.columns.map { column in
                guard let type = columns[column] else {
                    throw Failure(description: "the PostgreSQL store at \(location) has no column \(table.name).\(column); is it from another version of nurture?")
                }
                guard let kind = PostgresColumnKind(dataType: type) else {
                    throw Failure(description: "column \(table.name).\(column) is of type \(type), which a copy cannot fill")
                }
                return kind
            }
        }
        return kinds
    }

    /// A row made the target's kinds; which value could not be is said by table, row and column,
    /// never by the value (it may be personal data).
    static func coerce(_ row: [StoredValue], kinds: [PostgresColumnKind], table: TableSnapshot.Table, rowNumber: Int) throws -> [StoredValue] {
        try zip(row, zip(table.columns, kinds)).map { value, column in
            guard let made = column.1.coerce(value) else {
                throw Failure(description: "table \(table.name), row \(rowNumber), column \(column.0): a value that a \(column.1) column cannot hold")
            }
            return made
        }
    }

    /// One INSERT of several rows, every value a parameter.
    static func insert(_ rows: [[StoredValue]], into table: TableSnapshot.Table, kinds: [PostgresColumnKind]) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: rows.count * kinds.count)
        var tuples: [String] = []
        tuples.reserveCapacity(rows.count)
        var parameter = 0
        for row in rows {
            var placeholders: [String] = []
            for (value, kind) in zip(row, kinds) {
                parameter += 1
                placeholders.append("$\(parameter)")
                kind.bind(value, to: &bindings)
            }
            tuples.append("(\(placeholders.joined(separator: ",")))")
        }
        let columns = table.columns.map { "\"\($0)\"" }.joined(separator: ", ")
        return PostgresQuery(unsafeSQL: "INSERT INTO \"\(table.name)\" (\(columns)) VALUES \(tuples.joined(separator: ","))", binds: bindings)
    }

    /// The hot queue holds the sends waiting or being sent; SQLite keeps them in `send` alone.
    private func rebuildReadyQueue(on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO send_ready (key, next_attempt_at, lease_until, attempts, first_attempt_at)
            SELECT key, next_attempt_at, lease_until, attempts, first_attempt_at FROM send WHERE status IN ('pending', 'sending')
            """, logger: logger)
    }

    /// Identity columns go on from the highest id copied, so that new rows never take one.
    private func advanceIdentities(of tables: [TableSnapshot.Table], on connection: PostgresConnection) async throws {
        let names = tables.map(\.name)
        for try await (table, column) in try await connection.query(
            """
            SELECT table_name::text, column_name::text FROM information_schema.columns
            WHERE table_schema = current_schema() AND is_identity = 'YES' AND table_name::text = ANY(\(names))
            """, logger: logger
        ).decode((String, String).self) {
            try await connection.query(
                PostgresQuery(unsafeSQL: """
                    SELECT setval(pg_get_serial_sequence('"\(table)"', '\(column)'), COALESCE((SELECT MAX("\(column)") FROM "\(table)"), 0) + 1, false)
                    """), logger: logger)
        }
    }

    /// A table's digest as PostgreSQL holds it, read in the source's column order.
    private func digest(of table: TableSnapshot.Table, kinds: [PostgresColumnKind], on connection: PostgresConnection) async throws -> TableDigest {
        let columns = table.columns.map { "\"\($0)\"" }.joined(separator: ", ")
        var digest = TableDigest()
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: "SELECT \(columns) FROM \"\(table.name)\""), logger: logger) {
            let cells = row.makeRandomAccess()
            digest.add(try kinds.indices.map { try kinds[$0].read(cells[$0]) })
        }
        return digest
    }
}
