import GRDB

/// The schema, as migrations applied in order; a file made by an older version is upgraded when
/// it is opened.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE lead (
                    id TEXT PRIMARY KEY,
                    email TEXT NOT NULL,
                    profile BLOB NOT NULL,          -- the Lead as JSON
                    state BLOB,                     -- the engine's LeadState as JSON, once it has run
                    next_due_at REAL,               -- earliest wake-up or inbox item, seconds since 1970
                    lease_until REAL,
                    updated_at REAL NOT NULL
                );
                CREATE INDEX lead_due ON lead(next_due_at) WHERE next_due_at IS NOT NULL;
                CREATE INDEX lead_email ON lead(email);

                CREATE TABLE inbox (
                    id TEXT PRIMARY KEY,
                    lead_id TEXT NOT NULL REFERENCES lead(id) ON DELETE CASCADE,
                    at REAL NOT NULL,
                    payload BLOB NOT NULL,
                    processed INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX inbox_pending ON inbox(lead_id, at) WHERE processed = 0;

                CREATE TABLE send (
                    key TEXT PRIMARY KEY,
                    lead_id TEXT NOT NULL REFERENCES lead(id) ON DELETE CASCADE,
                    sequence TEXT NOT NULL,
                    step TEXT NOT NULL,
                    template TEXT NOT NULL,
                    enrolled_at REAL NOT NULL,
                    due_at REAL NOT NULL,
                    sender BLOB,
                    reply_to BLOB,
                    status TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    first_attempt_at REAL,
                    next_attempt_at REAL NOT NULL,
                    lease_until REAL,
                    message_id TEXT,
                    last_code INTEGER,
                    last_text TEXT,
                    finished_at REAL
                );
                CREATE INDEX send_due ON send(next_attempt_at) WHERE status = 'pending';
                CREATE INDEX send_leased ON send(lease_until) WHERE status = 'sending';
                CREATE INDEX send_finished ON send(finished_at) WHERE finished_at IS NOT NULL;

                CREATE TABLE suppression (
                    email TEXT PRIMARY KEY,
                    reason TEXT NOT NULL,
                    at REAL NOT NULL
                );

                CREATE TABLE hand_off (
                    id INTEGER PRIMARY KEY,
                    lead_id TEXT NOT NULL REFERENCES lead(id) ON DELETE CASCADE,
                    sequence TEXT,
                    reason TEXT NOT NULL,
                    rep_email TEXT,
                    score REAL NOT NULL,
                    grade TEXT NOT NULL,
                    at REAL NOT NULL,
                    due_at REAL
                );

                CREATE TABLE audit (
                    id INTEGER PRIMARY KEY,
                    at REAL NOT NULL,
                    lead_id TEXT,
                    entry TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v2-sales-loop") { db in
            try db.execute(sql: SalesLoopSchema.sql)
        }
        migrator.registerMigration("v3-rep-sessions") { db in
            try db.execute(sql: """
                CREATE TABLE signin_link (
                    hash TEXT PRIMARY KEY,          -- SHA-256 of the link's token, hex: the token itself is never stored
                    email TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    expires_at REAL NOT NULL,
                    used_at REAL
                );
                CREATE INDEX signin_link_expiry ON signin_link(expires_at);

                CREATE TABLE rep_session (
                    hash TEXT PRIMARY KEY,          -- SHA-256 of the session id in the cookie, hex
                    email TEXT NOT NULL,
                    created_at REAL NOT NULL,
                    expires_at REAL NOT NULL
                );
                CREATE INDEX rep_session_expiry ON rep_session(expires_at);
                """)
        }
        // The API's bearer tokens, kept only as SHA-256 (hex): who each stands for, and when it was revoked.
        migrator.registerMigration("v3-api-tokens") { db in
            try db.execute(sql: """
                CREATE TABLE api_token (
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL,             -- source or rep
                    name TEXT NOT NULL,             -- the source's name, or the rep's email
                    hash TEXT NOT NULL UNIQUE,
                    created_at REAL NOT NULL,
                    revoked_at REAL
                );
                """)
        }
        migrator.registerMigration("v3-tracking") { db in
            try db.execute(sql: TrackingSchema.sql)
        }
        // The value a rep put on a qualified or won deal, as recorded: hundredths and an ISO 4217 code.
        migrator.registerMigration("v4-deal-values") { db in
            try db.execute(sql: """
                ALTER TABLE rep_action ADD COLUMN amount_hundredths BIGINT;
                ALTER TABLE rep_action ADD COLUMN currency TEXT;
                CREATE INDEX rep_action_at ON rep_action(at);
                """)
        }
        // Capacity-aware routing: why each hand-off went to its rep, and the rotation cursor. The
        // cursor's single row is also what concurrent routing waits on (see `SQLiteStore.route`).
        migrator.registerMigration("v5-routing") { db in
            try db.execute(sql: """
                ALTER TABLE hand_off ADD COLUMN route_reason TEXT;
                CREATE TABLE routing_cursor (
                    id INTEGER PRIMARY KEY,         -- always 1
                    rep_email TEXT                  -- the last rep the teams were given a hand-off, lower case
                );
                INSERT INTO routing_cursor (id, rep_email) VALUES (1, NULL);
                """)
        }
        // The last forecast of the live pipeline and the days it flagged, for `nurture status`: written
        // after the forecast in its own transaction, apart from the lead, engine and outbox tables.
        migrator.registerMigration("v5-forecast") { db in
            try db.execute(sql: """
                CREATE TABLE forecast (
                    id INTEGER PRIMARY KEY,         -- always 1: only the last forecast is kept
                    made_at REAL NOT NULL,
                    days INTEGER NOT NULL,
                    runs INTEGER NOT NULL,
                    seed BIGINT NOT NULL,
                    leads INTEGER NOT NULL
                );
                CREATE TABLE forecast_flag (
                    forecast_id INTEGER NOT NULL REFERENCES forecast(id) ON DELETE CASCADE,
                    day TEXT NOT NULL,              -- yyyy-MM-dd in the lifecycle's business-hours zone
                    rep_email TEXT NOT NULL,
                    load INTEGER NOT NULL,          -- median hand-offs to follow up that day
                    capacity INTEGER NOT NULL,
                    chance REAL NOT NULL,           -- share of runs over capacity
                    PRIMARY KEY (forecast_id, day, rep_email)
                );
                """)
        }
        // The relay's rate limit shared by every scheduler on the store (`SendAllowance`): one row,
        // drawn on by each claim of sends in the claim's own transaction.
        migrator.registerMigration("v6-send-allowance") { db in
            try db.execute(sql: """
                CREATE TABLE send_allowance (
                    id INTEGER PRIMARY KEY,         -- always 1
                    tokens REAL NOT NULL,           -- sends that may be claimed now
                    at REAL NOT NULL                -- when tokens was brought up to date
                );
                INSERT INTO send_allowance (id, tokens, at) VALUES (1, 0, 0);
                """)
        }
        return migrator
    }
}
