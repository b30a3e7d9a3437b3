import Foundation
import NurtureTestSupport
import PostgresNIO
import Testing

@testable import NurturePostgres

/// The store's sessions plan named prepared statements for their values on every call: a generic
/// plan fixed while `send` was not yet analyzed scanned the whole table for each record of sent
/// messages, for as long as the session lasted.
@Suite struct PostgresPlanCacheTests {
    @Test(
        "every pooled session plans prepared statements for their values",
        .enabled(if: TestPostgres.inUse, "needs NURTURE_TEST_POSTGRES (scripts/test starts a server)"))
    func customPlans() throws {
        let db = try TestPostgres.freshDatabase()
        defer { TestPostgres.drop(db) }
        let store = try PostgresStore(try PostgresLocation(url: db, environment: [:]), maximumConnections: 2)
        defer { store.close() }
        let logger = store.logger
        let mode = try store.transaction { connection in
            try await connection.value("SHOW plan_cache_mode", as: String.self, logger: logger)
        }
        #expect(mode == "force_custom_plan")
    }
}
