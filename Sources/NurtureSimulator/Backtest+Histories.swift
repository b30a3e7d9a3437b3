import Foundation
import NurtureCore

extension Backtest {
    /// One recorded fact about a lead, as an export names it: by id or email, on a line.
    public struct RecordedFact: Sendable {
        public enum Kind: Sendable {
            case event(EngagementEvent)
            /// What the program of the time did, for comparison.
            case emailSent, handedOff
        }

        public var reference: String?
        public var line: Int
        public var at: Date
        public var kind: Kind

        public init(reference: String?, line: Int, at: Date, kind: Kind) {
            self.reference = reference
            self.line = line
            self.at = at
            self.kind = kind
        }
    }

    /// Each lead's history from recorded facts, in the leads' order. A fact names its lead by id,
    /// else by email (the first lead with that address); facts that name no known lead are
    /// returned apart, so the caller can say which line was ignored. A lead's earliest recorded
    /// hand-off is the one compared.
    public static func histories(leads: [Lead], facts: [RecordedFact]) -> (histories: [History], unmatched: [RecordedFact]) {
        var byLead: [String: History] = [:]
        for lead in leads {
            byLead[lead.id] = History(lead: lead, events: [], recordedSends: [], recordedHandOff: nil)
        }
        let emails = Dictionary(leads.map { ($0.email, $0.id) }, uniquingKeysWith: { first, _ in first })
        var unmatched: [RecordedFact] = []
        for fact in facts {
            guard let reference = fact.reference, let id = byLead[reference] != nil ? reference : emails[reference] else {
                unmatched.append(fact)
                continue
            }
            switch fact.kind {
            case let .event(event): byLead[id]?.events.append((fact.at, event))
            case .emailSent: byLead[id]?.recordedSends.append(fact.at)
            case .handedOff:
                let earliest = min(fact.at, byLead[id]?.recordedHandOff ?? fact.at)
                byLead[id]?.recordedHandOff = earliest
            }
        }
        return (leads.compactMap { byLead[$0.id] }, unmatched)
    }
}
