import Foundation

/// What `nurture forecast` and `nurture status` ask of a store: the live pipeline as stored, the
/// routing cursor a forecast starts its rotation from, and the last forecast's flagged days. The
/// SQLite and PostgreSQL stores implement it over the same `forecast` and `forecast_flag` tables.
public protocol ForecastStore: Sendable {
    /// Every lead as stored, with the inbox items it has not processed yet in the order the
    /// scheduler applies them, read in pages so memory stays flat. Items of a kind this version
    /// does not know are left out.
    func forEachStoredLead(_ body: (StoredLead) throws -> Void) throws
    /// The last rep the teams were given a hand-off (lower case), where the next tie is broken after.
    func routingCursor() throws -> String?
    /// Replaces the last forecast's summary with `summary`, in one short transaction.
    func recordForecast(_ summary: ForecastSummary) throws
    /// The last forecast's summary; nil when none was recorded.
    func lastForecast() throws -> ForecastSummary?
}

/// What `nurture export` asks of a store: the recorded history, lead by lead.
public protocol HistoryStore: Sendable {
    /// Every lead's sends, events and hand-offs, by lead and then time, handed to `each` in
    /// batches of one lead's worth so that the history of a large store is never all in memory.
    func eachHistoryEntry(_ each: ([HistoryEntry]) throws -> Void) throws
}

/// Everything both back ends implement: the scheduler's protocols, the web service's records, the
/// forecast and the export. What a command opens when it takes `--db` as a path or a URL.
public typealias SharedStore = WebStore & LoopReportStore & ForecastStore & HistoryStore

extension SQLiteStore: ForecastStore, HistoryStore {}
