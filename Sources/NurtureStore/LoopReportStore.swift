import Foundation
import NurtureCore

/// A rep action as the log keeps it, with the deal value recorded with it.
public struct RepActionRecord: Hashable, Sendable, Codable {
    public var id: Int64
    public var leadID: String
    public var handOffID: Int64?
    /// `won`, `disqualify(not-ready)`.
    public var action: String
    public var at: Date
    /// `rep`, `import`, `api:<source>`.
    public var source: String
    public var value: DealValue?

    public var parsed: RepAction? { RepAction(parsing: action) }
}

/// What the closed-loop report needs beyond the ledger: outcomes with their deal values, and the
/// log of rep actions to read them back. A PostgreSQL store carries the same two calls over the
/// same `rep_action` columns.
public protocol LoopReportStore: SalesLoopStore {
    /// Records an outcome with its value and queues it for the engine, as `recordAction` does.
    func recordAction(_ action: RepAction, value: DealValue, leadID: String, at: Date, source: String) throws
    /// The rep actions recorded in `since ..< until`, oldest first.
    func repActions(since: Date?, until: Date?) throws -> [RepActionRecord]
}
