import Foundation
import NurtureBasics

/// A count out of a total, with its Wilson score interval: honest at small counts and near 0 or 1,
/// where the textbook normal interval is not.
public struct Proportion: Codable, Hashable, Sendable {
    public var count: Int
    public var total: Int
    public var rate: Double
    public var low: Double
    public var high: Double

    public init(_ count: Int, of total: Int, z: Double = 1.959964) {
        self.count = count
        self.total = total
        guard total > 0 else {
            rate = 0; low = 0; high = 0
            return
        }
        let n = Double(total), p = Double(count) / n
        let denominator = 1 + z * z / n
        let centre = (p + z * z / (2 * n)) / denominator
        let half = z * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot() / denominator
        rate = p
        low = max(0, centre - half)
        high = min(1, centre + half)
    }
}

extension Proportion {
    /// The interval as the pages print it: "8.1% – 9.2%".
    var intervalText: String { "\(Figures.percent(low)) \u{2013} \(Figures.percent(high))" }
}
