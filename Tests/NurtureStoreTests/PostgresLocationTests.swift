import Foundation
import NurturePostgres
import NurtureTestSupport
import Testing

/// Reading a `postgres://` URL: credentials from the URL, PGPASSWORD or a service file, limits,
/// and a password that never shows.
struct PostgresLocationTests {
    @Test("the URL gives host, port, user and database; the password is never in its description")
    func readsTheURL() throws {
        let location = try PostgresLocation(url: "postgres://ops:s%40cret@db.example:6543/nurture?sslmode=require", environment: [:])
        #expect(location.host == "db.example" && location.port == 6543 && location.user == "ops" && location.database == "nurture")
        #expect(location.password == "s@cret" && location.tls == .require)
        #expect(location.description == "postgres://ops@db.example:6543/nurture?sslmode=require")
        #expect(!location.description.contains("cret"))
        let verified = try PostgresLocation(url: "postgres://ops@db.example/nurture?sslmode=verify-full", environment: [:])
        #expect(verified.tls == .verifyFull && verified.description == "postgres://ops@db.example:5432/nurture?sslmode=verify-full")
    }

    @Test("PGPASSWORD gives the password when the URL has none")
    func passwordFromTheEnvironment() throws {
        let location = try PostgresLocation(url: "postgresql://ops@127.0.0.1/nurture", environment: ["PGPASSWORD": "hunter2"])
        #expect(location.password == "hunter2" && location.port == 5432 && location.tls == .prefer)
    }

    @Test("a service file gives what the URL leaves out")
    func serviceFile() throws {
        let folder = try TemporaryFolder.make("nurture-pgservice")
        defer { TemporaryFolder.remove(folder) }
        let path = try TemporaryFolder.write(
            "# services\n[other]\nhost=wrong\n[nurture]\nhost = pg.internal\nport=5433\nuser=svc\ndbname=leads\npassword=x y\n",
            to: "pg_service.conf", in: folder)
        let location = try PostgresLocation(url: "postgres:///?service=nurture", environment: ["PGSERVICEFILE": path])
        #expect(location.host == "pg.internal" && location.port == 5433 && location.user == "svc" && location.database == "leads")
        #expect(location.password == "x y")
        #expect(throws: PostgresLocation.Problem.self) { try PostgresLocation(url: "postgres:///?service=missing", environment: ["PGSERVICEFILE": path]) }
    }

    @Test("bad URLs are refused with what is wrong, and never echo the password", arguments: [
        ("postgres://ops:pw@host:0/db", "port"), ("postgres://:pw@host/db", "no user"), ("postgres://ops:pw@host/", "no database"),
        ("postgres://ops:pw@host/db?sslmode=maybe", "sslmode"), ("postgres://ops:pw@host/db?options=x", "unknown"),
        ("postgres://ops:pw@host/" + String(repeating: "d", count: 64), "too long"),
        ("postgres://ops:pw@host/db" + String(repeating: "x", count: 2100), "longer than"),
    ])
    func refusesBadURLs(_ url: String, _ problem: String) {
        #expect {
            try PostgresLocation(url: url, environment: [:])
        } throws: { error in
            "\(error)".contains(problem) && !"\(error)".contains("pw")
        }
    }
}

/// When a failed transaction is run again.
struct TransactionRetryTests {
    @Test("conflicts are retried quickly a few times, lost connections for about a minute, other errors never")
    func policy() {
        #expect(TransactionRetry.pause(afterFailedAttempt: 1, failure: .other) == nil)
        #expect(TransactionRetry.pause(afterFailedAttempt: 1, failure: .conflict) == .milliseconds(2))
        #expect(TransactionRetry.pause(afterFailedAttempt: TransactionRetry.maximumConflictAttempts, failure: .conflict) == nil)
        #expect(TransactionRetry.pause(afterFailedAttempt: 1, failure: .connection) == .milliseconds(100))
        let total = (1..<TransactionRetry.maximumConnectionAttempts).compactMap {
            TransactionRetry.pause(afterFailedAttempt: $0, failure: .connection)
        }.reduce(Duration.zero, +)
        #expect(total > .seconds(30) && total < .seconds(90))
        for attempt in 1...50 {
            for failure in [TransactionRetry.Failure.conflict, .connection] {
                if let pause = TransactionRetry.pause(afterFailedAttempt: attempt, failure: failure) {
                    #expect(pause > .zero && pause <= .seconds(8))
                }
            }
        }
    }

    @Test("SQLSTATEs: serialization failures and deadlocks conflict, class 08 and shutdowns lose the connection")
    func sqlStates() {
        #expect(TransactionRetry.failure(sqlState: "40001") == .conflict)
        #expect(TransactionRetry.failure(sqlState: "40P01") == .conflict)
        #expect(TransactionRetry.failure(sqlState: "08006") == .connection)
        #expect(TransactionRetry.failure(sqlState: "57P01") == .connection)
        #expect(TransactionRetry.failure(sqlState: "23505") == .other)
        #expect(TransactionRetry.failure(sqlState: "") == .other)
    }
}
