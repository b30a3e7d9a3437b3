import PostgresNIO

/// The record of sent messages, the statement the scheduler runs once for every group of sends
/// its relay connections finish together: their rows updated and taken out of the hot table, with
/// their links and audit lines.
///
/// It is a named prepared statement, parsed once per connection: parsing and analysing its five
/// CTEs on every call took a seventh of the server's time at a thousand sends per second. It is
/// still planned for its values each time (`plan_cache_mode`, set in `PostgresStore.init`). The
/// arrays hold one entry per sent message, `link_keys`, `link_indices` and `link_urls` one per link.
struct SentRecords: PostgresPreparedStatement {
    typealias Row = ()

    static let name = "nurture_sent_records_v1"

    static let sql = """
        WITH done AS (
            SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[], $5::text[])
                AS t (key, message_id, code, text, entry)),
        gone AS (
            DELETE FROM send_ready USING done WHERE send_ready.key = done.key
            RETURNING send_ready.key, send_ready.attempts, send_ready.first_attempt_at),
        updated AS (
            UPDATE send SET status = 'sent', lease_until = NULL, message_id = done.message_id, last_code = done.code,
                last_text = done.text, finished_at = $6, attempts = COALESCE(gone.attempts, send.attempts),
                first_attempt_at = COALESCE(gone.first_attempt_at, send.first_attempt_at)
            FROM done LEFT JOIN gone ON gone.key = done.key WHERE send.key = done.key RETURNING send.key, send.lead_id),
        linked AS (
            INSERT INTO message_link (message_key, link, url)
            SELECT * FROM unnest($7::text[], $8::integer[], $9::text[])
            ON CONFLICT (message_key, link) DO UPDATE SET url = EXCLUDED.url)
        INSERT INTO audit (at, lead_id, entry) SELECT $6, updated.lead_id, done.entry FROM done JOIN updated ON updated.key = done.key
        """

    static let bindingDataTypes: [PostgresDataType] = [
        .textArray, .textArray, .int4Array, .textArray, .textArray, .float8, .textArray, .int4Array, .textArray,
    ]

    var keys: [String] = []
    var messageIDs: [String] = []
    var codes: [Int32] = []
    var texts: [String] = []
    var entries: [String] = []
    var at: Double
    var linkKeys: [String] = []
    var linkIndices: [Int32] = []
    var linkURLs: [String] = []

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 9)
        bindings.append(keys)
        bindings.append(messageIDs)
        bindings.append(codes)
        bindings.append(texts)
        bindings.append(entries)
        bindings.append(at)
        bindings.append(linkKeys)
        bindings.append(linkIndices)
        bindings.append(linkURLs)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {}
}
