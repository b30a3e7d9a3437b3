extension Condition {
    /// Whether the condition, once false, can turn true while nothing happens to the lead but time
    /// passing, with engagement points (never negative) decaying towards zero. Only `score` and
    /// `engagement` change then, and only downwards.
    var mayTurnTrueAsEngagementFalls: Bool { mayTurn(true) }

    /// Whether the condition can turn to `value` as engagement falls.
    private func mayTurn(_ value: Bool) -> Bool {
        switch self {
        case let .and(lhs, rhs), let .or(lhs, rhs): lhs.mayTurn(value) || rhs.mayTurn(value)
        case let .not(inner): inner.mayTurn(!value)
        case let .metric(metric, comparison, _):
            switch (metric, comparison) {
            case (.fitPoints, _): false
            // A falling number can leave `>=` but never enter it, and enter `<` but never leave it.
            case (_, .greater), (_, .greaterOrEqual): !value
            case (_, .less), (_, .lessOrEqual): value
            case (_, .equal), (_, .notEqual): true
            }
        case .member, .attribute, .activity: false
        }
    }
}
