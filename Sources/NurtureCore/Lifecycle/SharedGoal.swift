import Foundation

/// The one number marketing and sales signed up to for a period (`goal:` in `lifecycle.yml`):
/// pipeline created (the values of qualified deals), revenue won, or hand-offs accepted.
public struct SharedGoal: Hashable, Sendable {
    public enum Metric: String, Hashable, Sendable, CaseIterable {
        case pipeline, revenue, accepted
    }

    public enum Period: String, Hashable, Sendable, CaseIterable {
        case week, month, quarter, year

        /// Average length in days, to scale the goal to a report's period.
        public var days: Double {
            switch self {
            case .week: 7
            case .month: 30.4375
            case .quarter: 91.3125
            case .year: 365.25
            }
        }
    }

    public var metric: Metric
    /// Hundredths of `currency` for pipeline and revenue; hand-offs (times 100) for accepted, so
    /// every goal scales the same way.
    public var hundredths: Int64
    /// Nil for `accepted`, which counts hand-offs.
    public var currency: String?
    public var per: Period

    public init(metric: Metric, hundredths: Int64, currency: String?, per: Period) {
        self.metric = metric
        self.hundredths = hundredths
        self.currency = currency
        self.per = per
    }

    /// The goal for `since ..< until`, in hundredths, rounded to the nearest.
    public func scaled(from since: Date, to until: Date) -> Int64 {
        let days = until.timeIntervalSince(since) / 86_400
        return Int64((Double(hundredths) * days / per.days).rounded())
    }
}
