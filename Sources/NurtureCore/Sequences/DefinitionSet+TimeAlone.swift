extension DefinitionSet {
    /// Whether time passing alone, with nothing happening to an enrolled lead, can never make a
    /// threshold, a `wait_for` condition or an automatic lifecycle move hold.
    ///
    /// Time changes only engagement, which decays towards zero. While it is not negative it only
    /// falls, and the conditions are checked for whether falling can make them true. Points below
    /// zero are allowed only for events that suppress the address, which end every enrollment.
    var timeAloneFiresNothing: Bool {
        guard scoring.halfLife != nil else { return true }
        for (kind, rule) in scoring.engagement where !kind.suppresses {
            if rule.points < 0 || rule.categories.values.contains(where: { $0 < 0 }) { return false }
        }
        var conditions: [Condition] = lifecycle.transitions.compactMap { transition in
            if case let .condition(condition) = transition.trigger { condition } else { nil }
        }
        for sequence in sequences.values {
            conditions += sequence.thresholds.map(\.condition)
            for step in sequence.steps {
                switch step.kind {
                case let .score(points, _) where points < 0: return false
                case let .waitFor(condition, _, _): conditions.append(condition)
                default: break
                }
            }
        }
        return !conditions.contains(where: \.mayTurnTrueAsEngagementFalls)
    }
}
