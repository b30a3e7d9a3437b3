/// A weighted choice among values: a persona mix, a title mix, a time-zone mix.
public struct Mix<Value: Sendable>: Sendable {
    public private(set) var values: [Value]
    /// Cumulative weights, normalised so the last is 1.
    private var cumulative: [Double]

    /// Nil when there are no values or the weights do not add up to something positive.
    public init?(_ weighted: [(Value, Double)]) {
        let total = weighted.reduce(0) { $0 + max(0, $1.1) }
        guard !weighted.isEmpty, total > 0 else { return nil }
        values = weighted.map(\.0)
        var running = 0.0
        cumulative = weighted.map { running += max(0, $0.1) / total; return running }
        cumulative[cumulative.count - 1] = 1
    }

    /// Each value's share, normalised as the mix keeps it: what a persona file written back holds.
    public var shares: [Double] { cumulative.indices.map { $0 == 0 ? cumulative[0] : cumulative[$0] - cumulative[$0 - 1] } }

    /// The same mix in arrays of its own. Copies of a mix share its arrays, and with them the arrays'
    /// reference counts: a worker thread that reads a mix for every prospect reads its own copy,
    /// so that threads do not write the same counts (see docs/performance.md).
    public func withOwnStorage() -> Mix {
        var copy = self
        copy.values = values.map { $0 }
        copy.cumulative = cumulative.map { $0 }
        return copy
    }

    /// The value for a uniform draw in [0, 1).
    public func pick(_ uniform: Double) -> Value { values[index(for: uniform)] }

    /// The index in `values` of the value for a uniform draw in [0, 1), for callers that keep
    /// something per value.
    public func index(for uniform: Double) -> Int {
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if uniform < cumulative[middle] { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
