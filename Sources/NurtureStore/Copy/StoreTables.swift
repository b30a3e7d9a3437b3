/// The tables a store holds, in an order that puts every table after those it refers to: the
/// order a copy fills them in. Both stores have these tables with the same columns; anything else
/// in a store is its own bookkeeping (migrations, PostgreSQL's hot queue, SQLite's internals).
public enum StoreTables {
    public static let copyOrder = [
        "lead", "inbox", "send", "suppression", "hand_off", "notice", "nurture_request", "rep_action", "audit",
        "message_link", "tracked_event", "signin_link", "rep_session", "api_token", "routing_cursor", "forecast",
        "forecast_flag", "send_allowance",
    ]

    /// Tables with one row that the migrations insert (id 1): a copy replaces it rather than
    /// adding a second.
    public static let singletons: Set<String> = ["routing_cursor", "send_allowance"]
}
