import PostgresNIO

/// The record of sent messages, the statement the scheduler runs once for every group of sends
/// its relay connections finish together: their rows updated and taken out of the hot table, with
/// their links and audit lines.
///
/// It calls `nurture_record_sent` (migration `v9-record-sent-function`), which holds the five
/// CTEs and plans them once per session, on the primary keys whatever the statistics say. Planned
/// for its values on every call, the statement spent half its server time in the planner. The
/// arrays hold one entry per sent message, `link_keys`, `link_indices` and `link_urls` one per link.
struct SentRecords: PostgresPreparedStatement {
    typealias Row = ()

    static let name = "nurture_sent_records_v2"

    static let sql = "SELECT nurture_record_sent($1, $2, $3, $4, $5, $6, $7, $8, $9)"

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
