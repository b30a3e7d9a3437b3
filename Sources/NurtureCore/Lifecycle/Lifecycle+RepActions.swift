import Foundation

/// Which rep actions the lifecycle knows, and whether one may be taken from a stage: checked
/// before an action is recorded, so that a rep hears at once what the engine would refuse later.
extension Lifecycle {
    /// Why a rep action cannot be taken.
    public enum ActionProblem: Error, Hashable, Sendable, CustomStringConvertible {
        /// No transition is set off by this verb.
        case unknownVerb(String, known: [String])
        /// The verb is known, but not with this reason (or it needs one).
        case unknownReason(verb: String, reason: String?, known: [String])
        /// The lifecycle has the action, but not from the lead's stage.
        case notFromStage(RepAction, stage: String, allowedFrom: [String])

        public var description: String {
            switch self {
            case let .unknownVerb(verb, known):
                "the lifecycle has no action '\(verb)'; it knows \(known.joined(separator: ", "))"
            case let .unknownReason(verb, nil, known):
                "'\(verb)' needs a reason: one of \(known.joined(separator: ", "))"
            case let .unknownReason(verb, reason?, known):
                "the lifecycle has no reason '\(reason)' for '\(verb)'; it knows \(known.joined(separator: ", "))"
            case let .notFromStage(action, stage, allowed):
                "'\(action)' is not allowed for a lead in stage '\(stage)'; it is allowed from \(allowed.joined(separator: ", "))"
            }
        }
    }

    /// Every action a transition names, as written (`accept`, `reject(not-ready)`), in definition order.
    public var repActions: [RepAction] {
        var seen: [RepAction] = []
        for transition in transitions {
            guard case let .action(action) = transition.trigger, !seen.contains(action) else { continue }
            seen.append(action)
        }
        return seen
    }

    /// Nil when `action` moves a lead in `stage`; otherwise why not, naming what the lifecycle knows.
    public func problem(with action: RepAction, inStage stage: String) -> ActionProblem? {
        let sameVerb = transitions.filter {
            guard case let .action(expected) = $0.trigger else { return false }
            return expected.verb == action.verb
        }
        guard !sameVerb.isEmpty else {
            var verbs: [String] = []
            for known in repActions where !verbs.contains(known.verb) { verbs.append(known.verb) }
            return .unknownVerb(action.verb, known: verbs)
        }
        let matching = sameVerb.filter { $0.matches(action) }
        guard !matching.isEmpty else {
            let reasons = sameVerb.compactMap { transition -> String? in
                guard case let .action(expected) = transition.trigger else { return nil }
                return expected.reason
            }
            return .unknownReason(verb: action.verb, reason: action.reason, known: Array(Set(reasons)).sorted())
        }
        guard matching.contains(where: { $0.starts(from: stage) }) else {
            let from = Set(matching.flatMap(\.from))
            return .notFromStage(action, stage: stage, allowedFrom: stages.map(\.id).filter(from.contains))
        }
        return nil
    }

    /// When a rep task written as `due: 2d` falls due: days count as business days and hours as
    /// business hours of `business_hours`, so a task never falls due on a weekend or at night.
    public func taskDeadline(_ span: TimeSpan, from start: Date) -> Date {
        let day = businessHours.closes - businessHours.opens
        return businessHours.adding(windowSeconds: span.days * day + span.seconds, to: start, leadZone: nil)
    }
}
