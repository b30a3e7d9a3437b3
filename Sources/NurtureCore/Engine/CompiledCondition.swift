/// A condition the engine checks on every call or enrollment (a threshold, an automatic lifecycle
/// move, an audience), made once when the engine is made: each term is an object that checks its
/// children where they are, where matching the indirect enum copied out, and retained, every
/// sub-condition on every check.
/// Terms other than `and`, `or`, `not`, metrics and fit or stage membership are checked as written.
final class CompiledCondition: Sendable {
    private enum Kind {
        case and, or, not
        case metric(Condition.Metric, Condition.Comparison, Double)
        case grade(negated: Bool)
        case stage(negated: Bool)
        case asWritten
    }

    private let kind: Kind
    private let lhs: CompiledCondition?
    private let rhs: CompiledCondition?
    /// The grades or stages of a membership term.
    private let values: [String]
    /// A term checked as written.
    private let written: Condition?
    /// The lowest total score at which the condition can hold; minus infinity when the score does
    /// not bound it. Thresholds and automatic moves are mostly `score >= N and ...`, and most
    /// leads are below N most of the time: one comparison then answers for the whole condition.
    /// `and` needs both sides, so it takes the higher floor of the two; `or` either, so the lower.
    let scoreFloor: Double

    init(_ condition: Condition) {
        var lhs: CompiledCondition?, rhs: CompiledCondition?, values: [String] = [], written: Condition?
        var floor = -Double.infinity
        switch condition {
        case let .and(left, right), let .or(left, right):
            let isAnd = if case .and = condition { true } else { false }
            kind = isAnd ? .and : .or
            let left = CompiledCondition(left), right = CompiledCondition(right)
            floor = isAnd ? max(left.scoreFloor, right.scoreFloor) : min(left.scoreFloor, right.scoreFloor)
            lhs = left
            rhs = right
        case let .not(inner):
            kind = .not
            lhs = CompiledCondition(inner)
        case let .metric(metric, comparison, value):
            kind = .metric(metric, comparison, value)
            if metric == .score, [.greaterOrEqual, .greater, .equal].contains(comparison), !value.isNaN { floor = value }
        case let .member(.fit, set, negated):
            kind = .grade(negated: negated)
            values = Array(set)
        case let .member(.stage, set, negated):
            kind = .stage(negated: negated)
            values = Array(set)
        case .member(.attribute, _, _), .attribute, .activity:
            kind = .asWritten
            written = condition
        }
        self.lhs = lhs
        self.rhs = rhs
        self.values = values
        self.written = written
        scoreFloor = floor
    }

    /// Whether the condition holds for the lead in `pass`; the same answer as `Condition.evaluate`.
    /// Below the score floor it cannot, and the terms are not looked at.
    func holds(_ pass: borrowing EnginePass) -> Bool {
        pass.totalScore >= scoreFloor && matches(pass)
    }

    /// `holds`, term by term.
    private func matches(_ pass: borrowing EnginePass) -> Bool {
        switch kind {
        case .and: return lhs!.matches(pass) && rhs!.matches(pass)
        case .or: return lhs!.matches(pass) || rhs!.matches(pass)
        case .not: return !lhs!.matches(pass)
        case let .metric(metric, comparison, value):
            let actual = switch metric {
            case .score: pass.totalScore
            case .engagement: pass.engagement
            case .fitPoints: pass.state.fitPoints
            }
            return comparison.holds(actual, value)
        case let .grade(negated): return values.contains { $0 == pass.state.grade } != negated
        case let .stage(negated): return values.contains { $0 == pass.state.stage } != negated
        case .asWritten: return written!.evaluate(pass)
        }
    }
}
