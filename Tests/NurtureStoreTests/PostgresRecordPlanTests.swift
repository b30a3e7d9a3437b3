import Foundation
import NurtureTestSupport
import Testing

@testable import NurturePostgres

/// The record of sent messages (`nurture_record_sent`, which `SentRecords` calls) is planned once
/// per session and the plan is kept, so that plan must stay on the primary keys whatever the
/// statistics said when it was made. Over 2,000 analyzed rows, in a session that takes generic
/// plans, PostgreSQL's own choice hash-joins over scans of `send` and `send_ready`; auto_explain
/// prints the plan of each call.
@Suite struct PostgresRecordPlanTests {
    @Test(
        "the record of sent messages keeps to the primary keys, whatever the statistics when it was planned",
        .enabled(if: TestPostgres.inUse, "needs NURTURE_TEST_POSTGRES (scripts/test starts a server)"))
    func recordPlanUsesPrimaryKeys() throws {
        let db = try TestPostgres.freshDatabase()
        defer { TestPostgres.drop(db) }
        // Opening the store migrates the database.
        try PostgresStore(try PostgresLocation(url: db, environment: [:]), maximumConnections: 1).close()
        try TestPostgres.psql(db, """
            INSERT INTO lead (id, email, profile, updated_at)
                SELECT 'L-' || n, 'l' || n || '@example.org', '\\x00', 0 FROM generate_series(1, 2000) n;
            INSERT INTO send (key, lead_id, sequence, step, template, enrolled_at, due_at, status, next_attempt_at)
                SELECT 'k' || n, 'L-' || n, 'seq', 'step', 'tpl', 0, 0, 'pending', 0 FROM generate_series(1, 2000) n;
            INSERT INTO send_ready (key, next_attempt_at) SELECT key, 0 FROM send;
            ANALYZE send, send_ready
            """)

        let folder = try TemporaryFolder.make("nurture-record-plan")
        defer { TemporaryFolder.remove(folder) }
        var script = """
            SET plan_cache_mode = force_generic_plan;
            LOAD 'auto_explain';
            SET auto_explain.log_min_duration = 0;
            SET auto_explain.log_nested_statements = on;
            SET auto_explain.log_level = notice;

            """
        let calls = 8
        for n in 1...calls {
            script += "SELECT nurture_record_sent('{k\(n)}', '{m\(n)}', '{250}', '{ok}', '{sent}', 1, '{k\(n)}', '{0}', '{https://example.org/\(n)}');\n"
        }
        let file = folder.appendingPathComponent("calls.sql")
        try script.write(to: file, atomically: true, encoding: .utf8)
        let run = try ToolRun.run("/usr/bin/psql", [db, "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "-q", "-f", file.path])
        try #require(run.status == 0, "\(run.stderr)")

        let plans = run.stderr
        // At least one of each per call (the link's foreign-key check reads `send_pkey` too).
        #expect(plans.components(separatedBy: "Index Scan using send_pkey on send").count - 1 >= calls, "\(plans)")
        #expect(plans.components(separatedBy: "Index Scan using send_ready_pkey on send_ready").count - 1 >= calls, "\(plans)")
        #expect(!plans.contains("Seq Scan"), "\(plans)")
        #expect(try TestPostgres.psql(db, "SELECT COUNT(*) FROM send WHERE status = 'sent' AND message_id IS NOT NULL") == "\(calls)")
        #expect(try TestPostgres.psql(db, "SELECT COUNT(*) FROM send_ready") == "\(2000 - calls)")
        #expect(try TestPostgres.psql(db, "SELECT COUNT(*) FROM message_link") == "\(calls)")
        #expect(try TestPostgres.psql(db, "SELECT COUNT(*) FROM audit WHERE entry = 'sent'") == "\(calls)")
    }
}
