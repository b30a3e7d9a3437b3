import Foundation
import NurtureCore
import NurtureDefinitions
import NurtureStore

/// Prospects' events and reps' actions into the store, from a file (`events ingest`) or a request
/// body (the event API). Idempotent by event id (a row without one is identified by its content);
/// a bad row is refused with its line and the good rows are kept.
public struct EventIntake: Sendable {
    public let store: any SalesLoopStore
    /// Needed for rep actions, which are checked against it; events alone need none.
    public let lifecycle: Lifecycle?
    /// The system the events come from, for the event API: each source's event ids are its own,
    /// so its events are kept under `<source>|<id>` and its rep actions recorded as `api:<source>`.
    /// Nil for a file, whose ids are kept as they are.
    public let source: String?

    public init(store: any SalesLoopStore, lifecycle: Lifecycle?, source: String? = nil) {
        self.store = store
        self.lifecycle = lifecycle
        self.source = source
    }

    /// What became of the rows.
    public struct Result: Sendable {
        /// Events and actions read without error.
        public var read = 0
        /// Those new to the store (the rest were known already).
        public var added = 0
        /// Rows refused, by line, with why.
        public var refused: [(line: Int, problem: String)] = []
    }

    public func ingest(_ intake: EventLog.Intake, at now: Date) throws -> Result {
        var result = Result()
        // Each lead looked up once: a log has many rows per lead.
        var leadIDs: [String: String?] = [:]
        func leadID(for reference: String?, line: Int) throws -> String? {
            guard let reference else {
                result.refused.append((line, "the row names no lead"))
                return nil
            }
            if leadIDs[reference] == nil { leadIDs[reference] = .some(try store.leadID(for: reference)) }
            guard let found = leadIDs[reference] ?? nil else {
                result.refused.append((line, "no lead '\(reference)' in the store"))
                return nil
            }
            return found
        }
        var items: [InboxItem] = []
        for row in intake.rows {
            guard let leadID = try leadID(for: row.lead, line: row.line) else { continue }
            let event = row.event
            let id = row.id ?? "\(leadID)|\(row.at.timeIntervalSince1970)|\(event.kind.rawValue)|\(event.category ?? "")|\(event.step ?? "")"
            items.append(InboxItem(id: source.map { "\($0)|\(id)" } ?? id, leadID: leadID, at: row.at, payload: .event(
                kind: event.kind.rawValue, category: event.category, sequence: event.sequence, step: event.step)))
        }
        result.read = items.count
        result.added = try store.append(items)
        for row in intake.actions {
            guard let lifecycle else {
                result.refused.append((row.line, "a rep action needs the lifecycle to be checked against"))
                continue
            }
            let desk = HandOffDesk(store: store, lifecycle: lifecycle)
            guard let leadID = try leadID(for: row.lead, line: row.line) else { continue }
            // The same export ingested twice records each action once.
            let known = try store.hasRecorded(row.action, leadID: leadID, at: row.at)
            result.read += 1
            if known { continue }
            do {
                _ = try desk.outcome(lead: leadID, action: row.action.description, value: row.value, source: source.map { "api:\($0)" } ?? "import", at: row.at)
                result.added += 1
            } catch let error as OperationError {
                result.read -= 1
                result.refused.append((row.line, error.description))
            }
        }
        return result
    }
}
