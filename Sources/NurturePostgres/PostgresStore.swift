import Foundation
import Logging
import NIOCore
import NurtureCore
import NurtureStore
import PostgresNIO

/// The store on PostgreSQL: the same protocols and the same tables as the SQLite store, for
/// several scheduler processes on several machines sharing one workload. Leads and sends are
/// claimed with `FOR UPDATE SKIP LOCKED`, so two processes never lease the same row, and a lease
/// that runs out (its process died) is taken again, as in the SQLite store.
///
/// Connections are pooled by one `PostgresClient`, which runs in a task the store owns; `close()`
/// stops it. Every call is one transaction, run again when PostgreSQL gives way to another or the
/// connection is lost (`TransactionRetry`).
public final class PostgresStore: TrackingStore {
    public let location: PostgresLocation
    let client: PostgresClient
    let executor: EventLoopTaskExecutor
    let logger: Logger
    /// Tells each transaction's attempt if its connection closes under it (`GuardedAttempt`).
    let closes = ConnectionCloseWatch()
    private let running: Task<Void, Never>

    /// Why a call failed, in words that never hold the password.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Connects (lazily, through the pool) and brings the schema up to date.
    public init(_ location: PostgresLocation, maximumConnections: Int = 8) throws {
        self.location = location
        var single = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user,
            password: location.password,
            database: location.database, tls: try location.tls.connectionTLS())
        single.options.connectTimeout = .seconds(10)
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user,
            password: location.password,
            database: location.database, tls: location.tls.clientTLS)
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = .seconds(10)
        var logger = Logger(label: "nurture.postgres")
        logger.logLevel = .critical
        self.logger = logger
        let executor = EventLoopTaskExecutor(PostgresClient.defaultEventLoopGroup)
        self.executor = executor
        let client = PostgresClient(
            configuration: configuration, eventLoopGroup: executor.group, backgroundLogger: logger)
        self.client = client
        running = Task(executorPreference: executor) { await client.run() }
        do {
            try migrate(single)
        } catch {
            close()
            throw error
        }
    }

    /// Stops the pool; its connections close behind the call, on the event loops.
    ///
    /// It does not wait for them. `PostgresClient.run()` only returns once a task that its
    /// cancellation starts on Swift's shared threads has run (ServiceLifecycle's
    /// `CancellationWaiter`), and callers block those threads in synchronous store calls: closes
    /// that waited held the very threads their pools needed, and a handful of them at once (tests
    /// beside each other, two cores) stopped a whole process. A connection not yet closed when the
    /// process exits is closed with it, and the server ends its session.
    public func close() {
        running.cancel()
    }

    deinit { running.cancel() }

    // MARK: Transactions

    /// Runs `body` in one transaction, from a synchronous caller (see `AsyncBridge`).
    func transaction<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) throws -> Result {
        try AsyncBridge.wait(on: executor) { try await self.transactionAsync(body) }
    }

    /// Runs `body`, which sends one statement, on its own: a single statement is a transaction
    /// already, and leaving out BEGIN and COMMIT takes three round trips to one. For the hot paths
    /// (claims, the reaper, the reads before sending, the record of sent messages); retried as
    /// `transaction` is.
    func statement<Result: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) throws -> Result {
        try AsyncBridge.wait(on: executor) { try await self.transactionAsync(wrapped: false, body) }
    }

    /// Runs `body` in one transaction, again after a conflict or a lost connection. An attempt
    /// whose connection closes under it ends then, even if a statement of it would wait for ever
    /// (`GuardedAttempt`). Unless `wrapped` is false, when `body` is one statement (`statement`).
    func transactionAsync<Result: Sendable>(
        wrapped: Bool = true, _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        var attempt = 1
        while true {
            do {
                return try await client.withConnection { connection in
                    try await GuardedAttempt.run(on: connection, executor: executor, closes: closes) { [logger] in
                        wrapped ? try await Self.inTransaction(on: connection, logger: logger, body) : try await body(connection)
                    }
                }
            } catch {
                guard
                    let pause = TransactionRetry.pause(
                        afterFailedAttempt: attempt, failure: Self.failure(of: error))
                else {
                    throw describe(error)
                }
                attempt += 1
                try await Task.sleep(for: pause)
            }
        }
    }

    /// `body` between BEGIN and COMMIT, rolled back when it throws. A connection that has closed
    /// is not sent the ROLLBACK: the server has rolled the transaction back already, and a
    /// statement written to a closed connection is never answered.
    static func inTransaction<Result: Sendable>(
        on connection: PostgresConnection, logger: Logger,
        _ body: @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await connection.query("BEGIN", logger: logger)
        do {
            let value = try await body(connection)
            try await connection.query("COMMIT", logger: logger)
            return value
        } catch {
            if !connection.isClosed {
                _ = try? await connection.query("ROLLBACK", logger: logger)
            }
            throw error
        }
    }

    /// How a thrown error counts for retrying: PostgreSQL's errors by their SQLSTATE, the driver's
    /// by their code; a pool or channel error (no connection could be had) as a lost connection.
    static func failure(of error: any Error) -> TransactionRetry.Failure {
        switch error {
        case let error as PSQLError:
            switch error.code {
            case .server: TransactionRetry.failure(sqlState: error.serverInfo?[.sqlState] ?? "")
            case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
                .connection
            default: .other
            }
        case is ConnectionClosedUnderAttempt: .connection
        case is Failure, is PostgresDecodingError, is CancellationError, is DecodingError: .other
        default: .connection
        }
    }

    /// The error as a store failure: PostgreSQL's own message and SQLSTATE, or which server could
    /// not be reached (the location without its password).
    func describe(_ error: any Error) -> any Error {
        switch error {
        case is Failure:
            return error
        case let error as PSQLError where error.code == .server:
            let message = error.serverInfo?[.message] ?? "an error"
            let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            return Failure(description: "PostgreSQL at \(location): \(message)\(state)")
        case let error as PSQLError:
            return Failure(description: "PostgreSQL at \(location): \(error.code)")
        default:
            return Failure(
                description:
                    "PostgreSQL at \(location): \(type(of: error)) \(String(describing: error).prefix(200))")
        }
    }

    // MARK: Migrations

    /// Any 64-bit number that no other application on the database uses as an advisory lock.
    static let migrationLock: Int64 = 0x6E75_7274_7572_6531

    /// Applies the migrations this database has not had, each once: the advisory lock makes a
    /// second process starting at the same time wait, then find them applied. They run on a
    /// connection of their own, made once: a server that cannot be reached when the store is opened
    /// is reported at once (the URL is likely wrong) rather than waited for as the pool would.
    func migrate(_ configuration: PostgresConnection.Configuration) throws {
        let (executor, logger) = (executor, logger)
        do {
            try AsyncBridge.wait(on: executor) {
                let connection = try await PostgresConnection.connect(
                    on: executor.group.next(), configuration: configuration, id: 0, logger: logger)
                do {
                    // Almost always the schema is current: one read says so, with no lock taken.
                    if try await !Self.isCurrent(connection, logger: logger) {
                        try await Self.inTransaction(on: connection, logger: logger) { connection in
                            try await Self.migrate(connection, logger: logger)
                        }
                    }
                } catch {
                    try? await connection.close()
                    throw error
                }
                try await connection.close()
            }
        } catch {
            throw describe(error)
        }
    }

    /// Whether every migration is applied already; false also when none is (no table yet).
    static func isCurrent(_ connection: PostgresConnection, logger: Logger) async throws -> Bool {
        var applied: Set<String> = []
        do {
            for try await version in try await connection.query(
                "SELECT version FROM nurture_migration", logger: logger
            ).decode(String.self) {
                applied.insert(version)
            }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P01" {  // undefined_table
            return false
        }
        return PostgresSchema.migrations.allSatisfy { applied.contains($0.version) }
    }

    static func migrate(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            "SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: logger)
        try await connection.query(
            "CREATE TABLE IF NOT EXISTS nurture_migration (version text PRIMARY KEY, applied_at double precision NOT NULL)",
            logger: logger)
        var applied: Set<String> = []
        for try await version in try await connection.query(
            "SELECT version FROM nurture_migration", logger: logger
        )
        .decode(String.self) {
            applied.insert(version)
        }
        for migration in PostgresSchema.migrations where !applied.contains(migration.version) {
            for statement in migration.statements {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            }
            try await connection.query(
                "INSERT INTO nurture_migration (version, applied_at) VALUES (\(migration.version), \(Date().timeIntervalSince1970))",
                logger: logger)
        }
    }
}

// MARK: Helpers for the queries

extension PostgresConnection {
    /// Every row of a query, for reading by column name.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRandomAccessRow] {
        var rows: [PostgresRandomAccessRow] = []
        for try await row in try await self.query(query, logger: logger) {
            rows.append(row.makeRandomAccess())
        }
        return rows
    }

    /// The first column of the first row, if any.
    func value<Value: PostgresDecodable>(
        _ query: PostgresQuery, as type: Value.Type = Value.self, logger: Logger
    ) async throws -> Value? {
        for try await row in try await self.query(query, logger: logger) {
            return try row.decode(Value.self)
        }
        return nil
    }

    /// Runs a statement and returns how many rows it returned (a count of changes, with `RETURNING 1`).
    @discardableResult
    func execute(_ query: PostgresQuery, logger: Logger) async throws -> Int {
        let result = try await self.query(query, logger: logger)
        var returned = 0
        for try await _ in result { returned += 1 }
        return returned
    }
}

extension PostgresRandomAccessRow {
    subscript<Value: PostgresDecodable>(_ column: String, as type: Value.Type = Value.self) -> Value {
        get throws {
            let cell: PostgresCell = self[column]
            return try cell.decode(Value.self)
        }
    }

    /// A column holding seconds since 1970, as a date.
    func date(_ column: String) throws -> Date? {
        try self[column, as: Double?.self].map(Date.init(timeIntervalSince1970:))
    }
}

extension Date {
    var seconds: Double { timeIntervalSince1970 }
}

extension Data {
    /// For `bytea[]` parameters, which PostgresNIO takes as buffers.
    var buffer: ByteBuffer { ByteBuffer(bytes: self) }
}
