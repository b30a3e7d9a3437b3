import NurtureCore

extension DefinitionSet {
    /// The same definitions with the hand-off score moved to `value`: every `score >= N` (or `> N`)
    /// in the sequence's hand-off thresholds and in the lifecycle's automatic moves into the
    /// hand-off stage. This is the number marketing and sales argue about; a sweep tries several.
    public func withHandOffScore(_ value: Double, in sequenceID: String) -> DefinitionSet {
        var copy = self
        if var sequence = copy.sequences[sequenceID] {
            sequence.thresholds = sequence.thresholds.map { threshold in
                guard case .handOff = threshold.action else { return threshold }
                return Threshold(condition: threshold.condition.withScoreThreshold(value), action: threshold.action)
            }
            copy.sequences[sequenceID] = sequence
        }
        copy.lifecycle.transitions = lifecycle.transitions.map { transition in
            guard transition.to == lifecycle.handoffStage, case let .condition(condition) = transition.trigger else {
                return transition
            }
            var moved = transition
            moved.trigger = .condition(condition.withScoreThreshold(value))
            return moved
        }
        return copy
    }

    /// Whether the sequence hands off on a score at all (something for a sweep to move).
    public func handsOffOnScore(in sequenceID: String) -> Bool {
        let conditions = (sequences[sequenceID]?.thresholds ?? []).compactMap { threshold -> Condition? in
            if case .handOff = threshold.action { threshold.condition } else { nil }
        } + lifecycle.transitions.compactMap { transition -> Condition? in
            if transition.to == lifecycle.handoffStage, case let .condition(condition) = transition.trigger { condition } else { nil }
        }
        return conditions.contains { $0.withScoreThreshold(-1) != $0 }
    }
}

extension Condition {
    /// The condition with every lower bound on the total score (`score >= N`, `score > N`) set to `value`.
    public func withScoreThreshold(_ value: Double) -> Condition {
        switch self {
        case let .and(lhs, rhs): .and(lhs.withScoreThreshold(value), rhs.withScoreThreshold(value))
        case let .or(lhs, rhs): .or(lhs.withScoreThreshold(value), rhs.withScoreThreshold(value))
        case let .not(inner): .not(inner.withScoreThreshold(value))
        case let .metric(.score, comparison, _) where comparison == .greaterOrEqual || comparison == .greater:
            .metric(.score, comparison, value)
        default: self
        }
    }
}
