import Foundation
import NurtureCore

/// What a store reads from its ledger to route one hand-off, and the decision from what it read:
/// the part of routing that does not depend on the database, so that SQLite and PostgreSQL count
/// the same day the same way and write the same reason.
///
/// A store, inside the transaction that records the hand-off: locks the rotation cursor (the single
/// `routing_cursor` row) and reads it, counts the hand-offs per rep recorded within `span`, reads
/// the reps who rejected the lead, calls `decide`, and moves the cursor when the decision says so.
public struct HandOffRoutingLedger: Sendable {
    public let rules: HandOffRouting.Rules
    /// The rep the engine named.
    public let rep: Rep?
    /// The business day the hand-off counts on.
    public let day: CalendarDay
    /// The hand-offs counted on `day`: those made within these instants (`hand_off.at`).
    public let span: Range<Date>

    public init(_ handOff: HandOff, rules: HandOffRouting.Rules) {
        self.rules = rules
        rep = handOff.rep
        day = HandOffCapacity.day(of: handOff.at, businessHours: rules.businessHours)
        span = HandOffCapacity.instants(countingOn: day, businessHours: rules.businessHours)
    }

    /// The decision, from the day's counts by rep address (lower case), the addresses of the reps
    /// who rejected the lead, and the cursor, as the transaction read them.
    public func decide(assigned: [String: Int], rejectedBy: some Sequence<String>, cursor: String?) -> HandOffRouting.Decision {
        HandOffRouting.route(
            .init(rep: rep, day: day, assigned: assigned, rejectedBy: Set(rejectedBy), cursor: cursor), rules: rules)
    }

    /// The audit line for a routed hand-off.
    public static func auditEntry(handOffID: Int64, decision: HandOffRouting.Decision) -> String {
        "hand-off \(handOffID) routed to \(decision.rep.email) (\(decision.reason))"
    }
}
