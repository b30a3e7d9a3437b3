/// Points for one kind of event, optionally by category, with an optional cap per period.
public struct EngagementRule: Hashable, Sendable {
    public var points: Double
    /// Points by link, page or form category; categories not listed earn `points`.
    public var categories: [String: Double]
    public var cap: Cap?

    /// At most `points` from this event type in a period of `per`, starting with the first event
    /// counted. Caps keep automated behaviour (privacy proxies opening every email) from scoring.
    public struct Cap: Hashable, Sendable {
        public var points: Double
        public var per: TimeSpan

        public init(points: Double, per: TimeSpan) {
            self.points = points
            self.per = per
        }
    }

    public init(points: Double, categories: [String: Double] = [:], cap: Cap? = nil) {
        self.points = points
        self.categories = categories
        self.cap = cap
    }

    public func points(for category: String?) -> Double {
        category.flatMap { categories[$0] } ?? points
    }

    /// The most a single event of this kind can earn.
    public var maximumPoints: Double { max(points, categories.values.max() ?? points) }
}
