/// The tables of click and open tracking. Plain SQL that PostgreSQL takes as it is.
///
/// `message_link` holds the address each tracked link of a sent message stands for: a click is
/// redirected only there, never to an address the request names. `tracked_event` is every open
/// and click recorded, with the machine rule that fired (NULL for a person); the engine hears of
/// each through the lead's inbox.
enum TrackingSchema {
    static let sql = """
        CREATE TABLE message_link (
            message_key TEXT NOT NULL REFERENCES send(key) ON DELETE CASCADE,
            link INTEGER NOT NULL,
            url TEXT NOT NULL,
            PRIMARY KEY (message_key, link)
        );

        CREATE TABLE tracked_event (
            id INTEGER PRIMARY KEY,
            message_key TEXT NOT NULL REFERENCES send(key) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            link INTEGER,
            at REAL NOT NULL,
            machine_rule TEXT
        );
        CREATE INDEX tracked_event_message ON tracked_event(message_key, at);
        """
}
