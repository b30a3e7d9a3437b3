import Foundation

/// A length of time as marketers write it: `3d`, `4h`, `2w`, `1d12h`, `30m`.
///
/// Days and weeks are calendar days in the lead's time zone (a 3-day wait keeps the wall-clock time
/// across a daylight-saving change); hours and minutes are elapsed time.
public struct TimeSpan: Hashable, Sendable, CustomStringConvertible {
    /// Calendar days (weeks count as seven).
    public var days: Int
    /// Elapsed seconds on top of the days.
    public var seconds: Int

    public init(days: Int = 0, seconds: Int = 0) {
        self.days = days
        self.seconds = seconds
    }

    public static func hours(_ hours: Int) -> TimeSpan { TimeSpan(seconds: hours * 3600) }
    public static func minutes(_ minutes: Int) -> TimeSpan { TimeSpan(seconds: minutes * 60) }
    public static func days(_ days: Int) -> TimeSpan { TimeSpan(days: days) }

    /// True when the span moves time forward.
    public var isPositive: Bool { Double(days) * 86_400 + Double(seconds) > 0 }

    /// The span in seconds, counting a day as 24 hours. For caps and decay, where wall-clock days
    /// do not matter.
    public var nominalSeconds: Double { Double(days) * 86_400 + Double(seconds) }

    /// Parses `2w`, `3d`, `12h`, `30m` and concatenations (`1d12h`). Nil for anything else,
    /// including an empty string and unit-less numbers.
    public init?(parsing text: String) {
        var days = 0, seconds = 0, number: Int? = nil, sawUnit = false
        var lastUnitRank = Int.max
        for char in text {
            if let digit = char.wholeNumberValue, char.isASCII {
                let (value, overflow) = (number ?? 0).multipliedReportingOverflow(by: 10)
                guard !overflow, value < 1_000_000 else { return nil }
                number = value + digit
                continue
            }
            guard let value = number else { return nil }
            let rank: Int
            switch char {
            case "w": days += value * 7; rank = 4
            case "d": days += value; rank = 3
            case "h": seconds += value * 3600; rank = 2
            case "m": seconds += value * 60; rank = 1
            default: return nil
            }
            // Units must go from large to small, each at most once: `1d12h`, not `12h1d` or `1d1d`.
            guard rank < lastUnitRank else { return nil }
            lastUnitRank = rank
            number = nil
            sawUnit = true
        }
        guard sawUnit, number == nil else { return nil }
        self.init(days: days, seconds: seconds)
    }

    public var description: String {
        var parts = ""
        if days > 0 { parts += days % 7 == 0 ? "\(days / 7)w" : "\(days)d" }
        let hours = seconds / 3600, minutes = (seconds % 3600) / 60
        if hours > 0 { parts += "\(hours)h" }
        if minutes > 0 { parts += "\(minutes)m" }
        return parts.isEmpty ? "0m" : parts
    }

    /// Reads naturally in prose: "3 days", "1 day 12 hours".
    public var spelledOut: String {
        func unit(_ n: Int, _ name: String) -> String { n == 1 ? "1 \(name)" : "\(n) \(name)s" }
        var parts: [String] = []
        if days > 0 { parts.append(days % 7 == 0 ? unit(days / 7, "week") : unit(days, "day")) }
        if seconds / 3600 > 0 { parts.append(unit(seconds / 3600, "hour")) }
        if (seconds % 3600) / 60 > 0 { parts.append(unit((seconds % 3600) / 60, "minute")) }
        return parts.isEmpty ? "no time" : parts.joined(separator: " ")
    }
}
