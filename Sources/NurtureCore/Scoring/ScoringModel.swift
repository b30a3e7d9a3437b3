import Foundation

/// How a lead is scored: fit points for who they are, engagement points for what they do, caps per
/// event type and period, and a half-life for engagement.
public struct ScoringModel: Sendable {
    public var version: Int
    public var fitRules: [FitRule]
    /// Grade names with the minimum fit points for each, highest first (`A: 40, B: 25, ...`).
    public var grades: [(name: String, minimum: Double)]
    public var engagement: [EngagementEvent.Kind: EngagementRule] { didSet { rules = Self.table(engagement) } }
    /// The engagement rules by kind ordinal, read on every event without hashing the kind.
    private(set) var rules: [KindRule?]
    /// Engagement points halve every half-life; nil means they never decay.
    public var halfLife: TimeSpan?

    public init(
        version: Int = 1, fitRules: [FitRule] = [], grades: [(name: String, minimum: Double)] = [],
        engagement: [EngagementEvent.Kind: EngagementRule] = [:], halfLife: TimeSpan? = nil
    ) {
        self.version = version
        self.fitRules = fitRules
        self.grades = grades.sorted { $0.minimum > $1.minimum }
        self.engagement = engagement
        rules = Self.table(engagement)
        self.halfLife = halfLife
    }

    private static func table(_ engagement: [EngagementEvent.Kind: EngagementRule]) -> [KindRule?] {
        EngagementEvent.Kind.allCases.map { engagement[$0].map(KindRule.init) }
    }

    /// One kind's rule as events read it, held by reference: its categories as a list, since a
    /// handful of short names compare faster than they hash.
    final class KindRule: Sendable {
        let points: Double
        let categories: [(name: String, points: Double)]
        let cap: EngagementRule.Cap?

        init(_ rule: EngagementRule) {
            points = rule.points
            categories = rule.categories.map { ($0.key, $0.value) }
            cap = rule.cap
        }

        /// The same as `EngagementRule.points(for:)`.
        func points(for category: String?) -> Double {
            guard let category else { return points }
            for entry in categories where entry.name == category { return entry.points }
            return points
        }
    }

    /// The cap on a kind of event's points, if it has one.
    func cap(for kind: EngagementEvent.Kind) -> EngagementRule.Cap? { rules[kind.ordinal]?.cap }

    public func fitPoints(for lead: Lead) -> Double {
        fitRules.reduce(0) { $0 + ($1.applies(to: lead) ? $1.points : 0) }
    }

    /// The grade for a number of fit points; the lowest grade when none is met.
    public func grade(forFitPoints points: Double) -> String {
        grades.first { points >= $0.minimum }?.name ?? grades.last?.name ?? "-"
    }

    public func points(for event: EngagementEvent) -> Double {
        rules[event.kind.ordinal]?.points(for: event.category) ?? 0
    }

    /// The factor by which points shrink over `seconds`: `0.5^(seconds / half-life)`.
    public func decayFactor(over seconds: Double) -> Double {
        guard let halfLife, seconds > 0 else { return 1 }
        return exp2(-seconds / halfLife.nominalSeconds)
    }

    /// The most engagement points a lead could ever hold, or nil when there is no ceiling.
    ///
    /// A ceiling exists only when every event type that earns points is capped and points decay:
    /// each cap period then adds at most `cap`, and older periods fade geometrically, so the sum
    /// stays below `cap / (1 - 0.5^(period / half-life))` per event type.
    public var engagementCeiling: Double? {
        var total = 0.0
        for rule in engagement.values where rule.maximumPoints > 0 {
            guard let cap = rule.cap, halfLife != nil else { return nil }
            total += cap.points / (1 - decayFactor(over: cap.per.nominalSeconds))
        }
        return total
    }

    /// The most fit points any lead could have.
    public var bestFitPoints: Double {
        fitRules.map(\.points).filter { $0 > 0 }.reduce(0, +)
    }
}
