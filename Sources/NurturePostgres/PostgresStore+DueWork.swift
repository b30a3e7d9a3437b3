import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    /// Whether a scheduler pass at `now` on the database at `location` would find anything to do,
    /// as `SQLiteStore.hasDueWork(path:now:)` tells it for a file.
    ///
    /// For `nurture tick`, which cron runs every minute, mostly with nothing to do. One connection
    /// and two reads, with no pool and no transaction: the schema is current, and nothing is due.
    /// Each part of the due query is answered from its partial index (`lead_due`, `send_ready_due`,
    /// `send_ready_leased`), so it costs the same with a million leads as with ten.
    ///
    /// Nil when it cannot be told that way (the server cannot be reached, the schema is behind, or
    /// any other error): open the store and run the pass, which reports the trouble in full.
    public static func hasDueWork(_ location: PostgresLocation, now: Date) -> Bool? {
        var logger = Logger(label: "nurture.postgres")
        logger.logLevel = .critical
        let executor = EventLoopTaskExecutor(PostgresClient.defaultEventLoopGroup)
        return try? AsyncBridge.wait(on: executor) { [logger] () async throws -> Bool? in
            var configuration = PostgresConnection.Configuration(
                host: location.host, port: location.port, username: location.user, password: location.password,
                database: location.database, tls: try location.tls.connectionTLS())
            configuration.options.connectTimeout = .seconds(10)
            let connection = try await PostgresConnection.connect(
                on: executor.group.next(), configuration: configuration, id: 0, logger: logger)
            do {
                let due: Bool? =
                    try await isCurrent(connection, logger: logger)
                    ? try await connection.value(dueWork(now: now), as: Bool.self, logger: logger) ?? false : nil
                try? await connection.close()
                return due
            } catch {
                try? await connection.close()
                throw error
            }
        } ?? nil
    }

    /// A lead due and not leased, a send due, or a send whose lease ran out.
    static func dueWork(now: Date) -> PostgresQuery {
        """
        SELECT EXISTS (SELECT 1 FROM lead WHERE next_due_at <= \(now.seconds) AND (lease_until IS NULL OR lease_until < \(now.seconds)))
            OR EXISTS (SELECT 1 FROM send_ready WHERE lease_until IS NULL AND next_attempt_at <= \(now.seconds))
            OR EXISTS (SELECT 1 FROM send_ready WHERE lease_until < \(now.seconds))
        """
    }
}
