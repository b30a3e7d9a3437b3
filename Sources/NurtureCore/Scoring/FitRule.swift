import Foundation

/// Points a lead earns for who they are: a title, a company size, an industry.
public struct FitRule: Hashable, Sendable {
    public enum Match: Hashable, Sendable {
        /// Case-insensitive substring of the attribute: `title contains VP`.
        case contains([String])
        /// Case-insensitive equality with one of the values.
        case oneOf([String])
        /// Numeric attribute within bounds (inclusive); nil bounds are open.
        case range(atLeast: Double?, atMost: Double?)
    }

    public var attribute: String
    public var match: Match
    public var points: Double

    public init(attribute: String, match: Match, points: Double) {
        self.attribute = attribute
        self.match = match
        self.points = points
    }

    public func applies(to lead: Lead) -> Bool {
        guard let value = lead.value(of: attribute) else { return false }
        switch match {
        case let .contains(needles):
            let haystack = value.lowercased()
            return needles.contains { haystack.contains($0.lowercased()) }
        case let .oneOf(values):
            let lowered = value.lowercased()
            return values.contains { $0.lowercased() == lowered }
        case let .range(atLeast, atMost):
            guard let number = Double(value.replacingOccurrences(of: ",", with: "")) else { return false }
            return (atLeast.map { number >= $0 } ?? true) && (atMost.map { number <= $0 } ?? true)
        }
    }
}
