import Foundation
import NurtureTestSupport
import PostgresNIO
import Synchronization
import Testing

@testable import NurturePostgres

/// A statement written to a connection the server has already closed is never answered by
/// PostgresNIO; a transaction doing so must still end, and be run again on a fresh connection.
/// The work runs in a `BoundedWait`, so that a regression fails here instead of holding the run.
@Suite(.timeLimit(.minutes(8)))
struct PostgresClosedConnectionTests {
    @Test(
        "a transaction that writes a statement after the server ended its session is run again, not left waiting",
        .enabled(if: TestPostgres.inUse, "needs NURTURE_TEST_POSTGRES (scripts/test starts a server)"))
    func statementAfterTheSessionEnded() throws {
        let db = try TestPostgres.freshDatabase()
        defer { TestPostgres.drop(db) }
        // One connection: the second attempt gets it only if the first attempt gave it back.
        let store = try PostgresStore(try PostgresLocation(url: db, environment: [:]), maximumConnections: 1)
        let outcome = BoundedWait.run(limit: .seconds(30)) {
            let started = ContinuousClock.now
            let (answer, attempts) = try Self.loseTheFirstAttempt(in: store)
            let took = ContinuousClock.now - started
            let watched = store.closes.size
            store.close()
            return (answer, attempts, took, watched)
        }
        let (answer, attempts, took, watched) = try #require(outcome, "still waiting after 30 s").get()
        #expect(answer == 42)
        #expect(attempts == 2, "the first attempt ended, the second ran on a fresh connection")
        #expect(took < .seconds(10), "ended by the grace period and one retry pause, not a long wait: \(took)")
        #expect(watched.connections == 1 && watched.attempts == 0, "the closed connection left the watch: \(watched)")
    }

    @Test(
        "a connection's close is watched once, however many statements run on it",
        .enabled(if: TestPostgres.inUse, "needs NURTURE_TEST_POSTGRES (scripts/test starts a server)"))
    func closeWatchStaysBounded() throws {
        let db = try TestPostgres.freshDatabase()
        defer { TestPostgres.drop(db) }
        let store = try PostgresStore(try PostgresLocation(url: db, environment: [:]), maximumConnections: 2)
        defer { store.close() }
        for round in 0..<2_000 {
            // Alternately a transaction and a lone statement, the two ways a call runs.
            _ = try store.lead("lead-\(round)")
            _ = try store.claimDueSends(now: Date(), limit: 10, leaseUntil: Date().addingTimeInterval(60), rate: nil)
        }
        let watched = store.closes.size
        #expect(watched.connections >= 1 && watched.connections <= 2, "one row per open connection: \(watched)")
        #expect(watched.attempts == 0, "every attempt forgotten once it ended: \(watched)")
    }

    /// A transaction whose first attempt has the server end its session, then writes a statement
    /// to the closed connection; the second attempt answers 42. Returns the answer and the attempts.
    static func loseTheFirstAttempt(in store: PostgresStore) throws -> (Int?, Int) {
        let logger = store.logger
        let attempts = Atomic<Int>(0)
        let answer = try store.transaction { connection -> Int? in
            if attempts.add(1, ordering: .relaxed).newValue == 1 {
                // The server ends this session, as a fast shutdown does (57P01); once the
                // connection has closed, the next statement is written to nothing.
                _ = try? await connection.query("SELECT pg_terminate_backend(pg_backend_pid())", logger: logger)
                try? await connection.closeFuture.get()
                #expect(connection.isClosed)
                _ = try await connection.value("SELECT 1", as: Int.self, logger: logger)
            }
            return try await connection.value("SELECT 42", as: Int.self, logger: logger)
        }
        return (answer, attempts.load(ordering: .relaxed))
    }
}
