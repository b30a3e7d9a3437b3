/// The tables of the sales side of the loop: the hand-off ledger's answers and deadlines, the
/// outbox of rep notices, rep-requested nurtures and every rep action. Plain SQL that PostgreSQL
/// takes as it is (REAL seconds since 1970, TEXT, BLOB as BYTEA there).
enum SalesLoopSchema {
    static let sql = """
        ALTER TABLE hand_off ADD COLUMN rep_name TEXT;
        ALTER TABLE hand_off ADD COLUMN status TEXT NOT NULL DEFAULT 'open';
        ALTER TABLE hand_off ADD COLUMN definitions_version INTEGER;
        ALTER TABLE hand_off ADD COLUMN request_id INTEGER;
        ALTER TABLE hand_off ADD COLUMN answered_at REAL;
        ALTER TABLE hand_off ADD COLUMN answer TEXT;
        ALTER TABLE hand_off ADD COLUMN touch_due_at REAL;
        ALTER TABLE hand_off ADD COLUMN touched_at REAL;
        ALTER TABLE hand_off ADD COLUMN expired_at REAL;
        ALTER TABLE hand_off ADD COLUMN summary BLOB;
        CREATE INDEX hand_off_open ON hand_off(due_at) WHERE status = 'open';
        CREATE INDEX hand_off_at ON hand_off(at);
        CREATE INDEX hand_off_lead ON hand_off(lead_id, at);

        CREATE TABLE notice (
            key TEXT PRIMARY KEY,
            lead_id TEXT NOT NULL REFERENCES lead(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            channel TEXT NOT NULL,
            hand_off_id INTEGER,
            rep_name TEXT,
            rep_email TEXT NOT NULL,
            detail BLOB NOT NULL,
            created_at REAL NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            first_attempt_at REAL,
            next_attempt_at REAL NOT NULL,
            lease_until REAL,
            last_code INTEGER,
            last_text TEXT,
            finished_at REAL
        );
        CREATE INDEX notice_due ON notice(next_attempt_at) WHERE status = 'pending';
        CREATE INDEX notice_leased ON notice(lease_until) WHERE status = 'sending';

        CREATE TABLE nurture_request (
            id INTEGER PRIMARY KEY,
            lead_id TEXT NOT NULL REFERENCES lead(id) ON DELETE CASCADE,
            sequence TEXT NOT NULL,
            rep_name TEXT NOT NULL,
            rep_email TEXT NOT NULL,
            note TEXT,
            until_at REAL,
            status TEXT NOT NULL,
            created_at REAL NOT NULL,
            hand_off_id INTEGER,
            closed_at REAL
        );
        CREATE INDEX nurture_request_lead ON nurture_request(lead_id, status);

        CREATE TABLE rep_action (
            id INTEGER PRIMARY KEY,
            lead_id TEXT NOT NULL REFERENCES lead(id) ON DELETE CASCADE,
            hand_off_id INTEGER,
            action TEXT NOT NULL,
            at REAL NOT NULL,
            source TEXT NOT NULL
        );
        CREATE INDEX rep_action_lead ON rep_action(lead_id, at);

        ALTER TABLE send ADD COLUMN sender_email TEXT;
        CREATE INDEX send_by_sender ON send(sender_email, finished_at) WHERE status = 'sent';
        """
}
