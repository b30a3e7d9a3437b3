/// A rule over a lead, written by marketers: `clicked(case-study) and score >= 40`.
///
/// Conditions decide audiences, branches, thresholds and automatic lifecycle moves. They are parsed
/// by ``ConditionParser`` and evaluated against ``Facts`` captured at one moment.
public indirect enum Condition: Hashable, Sendable {
    case and(Condition, Condition)
    case or(Condition, Condition)
    case not(Condition)
    /// `score >= 80`, `engagement < 10`, `fit_points >= 30`.
    case metric(Metric, Comparison, Double)
    /// `fit in [A, B]`, `stage == mql`, `industry in [software, fintech]`; `negated` for `!=` and `not in`.
    case member(Dimension, Set<String>, negated: Bool)
    /// `company_size >= 200`: a numeric comparison on a lead attribute.
    case attribute(String, Comparison, Double)
    /// `clicked`, `clicked(case-study)`, `visited(pricing)`, `replied`...
    case activity(Activity, category: String?)

    public enum Metric: String, Sendable, Hashable, CaseIterable {
        case score, engagement
        case fitPoints = "fit_points"
    }

    public enum Dimension: Hashable, Sendable {
        case fit, stage
        case attribute(String)
    }

    public enum Activity: String, Sendable, Hashable, CaseIterable {
        case opened, clicked, replied, visited, filled

        /// Whether the activity can be narrowed to a category: `clicked(pricing)`.
        public var takesCategory: Bool { self == .clicked || self == .visited || self == .filled }
    }

    public enum Comparison: String, Sendable, Hashable, CaseIterable {
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "==", notEqual = "!="

        public func holds(_ lhs: Double, _ rhs: Double) -> Bool {
            switch self {
            case .less: lhs < rhs
            case .lessOrEqual: lhs <= rhs
            case .greater: lhs > rhs
            case .greaterOrEqual: lhs >= rhs
            case .equal: lhs == rhs
            case .notEqual: lhs != rhs
            }
        }
    }

    /// Evaluates the condition against what is known of the lead.
    public func evaluate<Known: ConditionFacts & ~Copyable>(_ facts: borrowing Known) -> Bool {
        switch self {
        case let .and(lhs, rhs): return lhs.evaluate(facts) && rhs.evaluate(facts)
        case let .or(lhs, rhs): return lhs.evaluate(facts) || rhs.evaluate(facts)
        case let .not(inner): return !inner.evaluate(facts)
        case let .metric(metric, comparison, value):
            let actual = switch metric {
            case .score: facts.score
            case .engagement: facts.engagement
            case .fitPoints: facts.fitPoints
            }
            return comparison.holds(actual, value)
        case let .member(dimension, values, negated):
            let actual: String? = switch dimension {
            case .fit: facts.grade
            case .stage: facts.stage
            case let .attribute(name): facts.attribute(name)?.lowercased()
            }
            let contained = actual.map { Self.contains(values, $0) } ?? false
            return contained != negated
        case let .attribute(name, comparison, value):
            guard let text = facts.attribute(name), let number = Double(text) else { return false }
            return comparison.holds(number, value)
        case let .activity(activity, category):
            return facts.has(activity, category: category)
        }
    }

    /// Whether `values` holds `value`. Sets in conditions are a few short names (`fit in [A, B]`),
    /// which compare faster one by one than they hash.
    private static func contains(_ values: Set<String>, _ value: String) -> Bool {
        values.count <= 8 ? values.contains { $0 == value } : values.contains(value)
    }
}

/// What a condition can see of a lead. The engine answers these directly from its state, without
/// building a snapshot; ``Facts`` is the snapshot for everyone else.
public protocol ConditionFacts: ~Copyable {
    /// Fit points plus engagement decayed to the moment of evaluation.
    var score: Double { get }
    var engagement: Double { get }
    var fitPoints: Double { get }
    var grade: String { get }
    var stage: String { get }
    func has(_ activity: Condition.Activity, category: String?) -> Bool
    func attribute(_ name: String) -> String?
}

/// What a condition can see of a lead at one moment.
public struct Facts: ConditionFacts, Sendable {
    public var lead: Lead
    public var score: Double
    public var engagement: Double
    public var fitPoints: Double
    public var grade: String
    public var stage: String
    public var history: EngagementHistory

    public init(
        lead: Lead, score: Double, engagement: Double, fitPoints: Double, grade: String, stage: String,
        history: EngagementHistory
    ) {
        self.lead = lead
        self.score = score
        self.engagement = engagement
        self.fitPoints = fitPoints
        self.grade = grade
        self.stage = stage
        self.history = history
    }

    public func has(_ activity: Condition.Activity, category: String?) -> Bool {
        history.has(activity, category: category)
    }

    public func attribute(_ name: String) -> String? { lead.value(of: name) }
}
