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
    ///
    /// With a pace, each request is dated at its lead's start: the highest score first, then by
    /// lead id, spread over the lifecycle's business hours. The dates are stored with the requests,
    /// so a restart or a repeated pass never moves them.
    public func enroll(where condition: Condition, in sequenceID: String, at now: Date, pace: EnrollmentPace? = nil) throws -> Int {
        try checkSequence(sequenceID)
        var leads = try matching(condition, at: now)
        guard let pace else { return try store.append(leads.map { InboxItem.enrollment(in: sequenceID, leadID: $0.id, at: now) }) }
        leads.sort { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
        let starts = pace.starts(count: leads.count, from: now, businessHours: definitions.lifecycle.businessHours)
        return try store.append(zip(leads, starts).map { InboxItem.enrollment(in: sequenceID, leadID: $0.id, at: $1) })
    }

    /// The leads that satisfy `condition` at `now`, with their scores, in the store's order.
    public func matching(_ condition: Condition, at now: Date) throws -> [(id: String, score: Double)] {
        let engine = Engine(definitions)
        var leads: [(id: String, score: Double)] = []
        try store.forEachLead { lead, state in
            let facts = engine.facts(state ?? engine.start(lead, at: now), lead: lead, at: now)
            if condition.evaluate(facts) { leads.append((lead.id, facts.score)) }
        }
        return leads
    }

    private func checkSequence(_ id: String) throws {
        guard definitions.sequences[id] != nil else {
            throw OperationError("no sequence '\(id)'; known: \(definitions.sequences.keys.sorted().joined(separator: ", "))")
        }
    }
}
