import Foundation
import NurtureCore
import NurtureStore

/// Asking for leads to be enrolled in a sequence: one lead, or every lead a condition selects.
///
/// The desk only queues enrollment requests in the leads' inboxes. The scheduler's next pass
/// applies the sequence's audience and re-entry rules, so a request made here and one made by the
/// engine itself are judged the same way.
public struct EnrollmentDesk: Sendable {
    public let store: any SalesLoopStore
    public let definitions: DefinitionSet

    public init(store: any SalesLoopStore, definitions: DefinitionSet) {
        self.store = store
        self.definitions = definitions
    }

    /// One lead, by id or email. Returns how many requests were new (0 or 1).
    public func enroll(lead reference: String, in sequenceID: String, at now: Date) throws -> Int {
        try checkSequence(sequenceID)
        guard let id = try store.leadID(for: reference) else { throw OperationError("no lead '\(reference)' in the store") }
        return try store.append([InboxItem.enrollment(in: sequenceID, leadID: id, at: now)])
    }

    /// Every lead whose facts at `now` (stage, fit, score, fields, engagement) satisfy `condition`,
    /// as the engine sees them. Returns how many requests were new.
    public func enroll(where condition: Condition, in sequenceID: String, at now: Date) throws -> Int {
        try checkSequence(sequenceID)
        let ids = try matching(condition, at: now)
        return try store.append(ids.map { InboxItem.enrollment(in: sequenceID, leadID: $0, at: now) })
    }

    /// The ids of the leads that satisfy `condition` at `now`, in the store's order.
    public func matching(_ condition: Condition, at now: Date) throws -> [String] {
        let engine = Engine(definitions)
        var ids: [String] = []
        try store.forEachLead { lead, state in
            if condition.evaluate(engine.facts(state ?? engine.start(lead, at: now), lead: lead, at: now)) { ids.append(lead.id) }
        }
        return ids
    }

    private func checkSequence(_ id: String) throws {
        guard definitions.sequences[id] != nil else {
            throw OperationError("no sequence '\(id)'; known: \(definitions.sequences.keys.sorted().joined(separator: ", "))")
        }
    }
}
