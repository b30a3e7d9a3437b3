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
    public var match: Match {
        didSet {
            needles = Self.needles(for: match)
            loweredValues = Self.loweredValues(for: match)
        }
    }
    public var points: Double
    /// `contains` needles, lowercased as UTF-8, so matching a title needs no Unicode machinery.
    private var needles: [[UInt8]]
    /// `oneOf` values, lowercased once rather than for every lead.
    private var loweredValues: [String]

    public init(attribute: String, match: Match, points: Double) {
        self.attribute = attribute
        self.match = match
        self.points = points
        needles = Self.needles(for: match)
        loweredValues = Self.loweredValues(for: match)
    }

    private static func needles(for match: Match) -> [[UInt8]] {
        guard case let .contains(words) = match else { return [] }
        return words.map { Array($0.lowercased().utf8) }
    }

    private static func loweredValues(for match: Match) -> [String] {
        guard case let .oneOf(values) = match else { return [] }
        return values.map { $0.lowercased() }
    }

    /// The value lowercased as UTF-8; ASCII (nearly every title) is lowered byte by byte, which is
    /// what `lowercased()` does to it, without building a new string.
    private static func loweredBytes(_ value: String) -> [UInt8] {
        var bytes = Array(value.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return Array(value.lowercased().utf8) }
        for index in bytes.indices where (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(bytes[index]) {
            bytes[index] += 32
        }
        return bytes
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
            let haystack = Self.loweredBytes(value)
            return needles.contains { Self.occurs($0, in: haystack) }
        case .oneOf:
            return loweredValues.contains(value.lowercased())
        case let .range(atLeast, atMost):
            // Looking for the byte, not the substring: Foundation's `contains` would bridge the string.
            let digits = value.utf8.contains(UInt8(ascii: ",")) ? value.filter { $0 != "," } : value
            guard let number = Double(digits) else { return false }
            return (atLeast.map { number >= $0 } ?? true) && (atMost.map { number <= $0 } ?? true)
        }
    }
}
