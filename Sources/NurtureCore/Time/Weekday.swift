/// A day of the week, Monday first, as written in definitions (`mon`, `tue`...).
public enum Weekday: Int, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    case monday, tuesday, wednesday, thursday, friday, saturday, sunday

    public init?(abbreviation: String) {
        guard let day = Weekday.allCases.first(where: { $0.abbreviation == abbreviation.lowercased() }) else {
            return nil
        }
        self = day
    }

    public var abbreviation: String {
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][rawValue]
    }

    public var description: String {
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][rawValue]
    }

    /// The weekday of a local day number (days since 1970-01-01, which was a Thursday).
    public static func of(localDay: Int64) -> Weekday { Weekday(rawValue: number(ofLocalDay: localDay))! }

    /// The raw value of the weekday of a local day number, for arithmetic on days ahead.
    static func number(ofLocalDay localDay: Int64) -> Int { Int(((localDay + 3) % 7 + 7) % 7) }
}
