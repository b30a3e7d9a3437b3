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
    public var match: Match { didSet { needles = Self.needles(for: match) } }
    public var points: Double
    /// `contains` needles, lowercased as UTF-8, so matching a title needs no Unicode machinery.
    private var needles: [[UInt8]]

    public init(attribute: String, match: Match, points: Double) {
        self.attribute = attribute
        self.match = match
        self.points = points
        needles = Self.needles(for: match)
    }

    private static func needles(for match: Match) -> [[UInt8]] {
        guard case let .contains(words) = match else { return [] }
        return words.map { Array($0.lowercased().utf8) }
    }

    /// Whether `needle` occurs in `haystack` (both lowercased UTF-8).
    private static func occurs(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            var matched = true
            for offset in 1..<needle.count where haystack[start + offset] != needle[offset] {
                matched = false
                break
            }
            if matched { return true }
        }
        return false
    }

    public func applies(to lead: Lead) -> Bool {
        guard let value = lead.value(of: attribute) else { return false }
        switch match {
        case .contains:
            let haystack = Array(value.lowercased().utf8)
            return needles.contains { Self.occurs($0, in: haystack) }
        case let .oneOf(values):
            let lowered = value.lowercased()
            return values.contains { $0.lowercased() == lowered }
        case let .range(atLeast, atMost):
            let digits = value.contains(",") ? value.filter { $0 != "," } : value
            guard let number = Double(digits) else { return false }
            return (atLeast.map { number >= $0 } ?? true) && (atMost.map { number <= $0 } ?? true)
        }
    }
}
