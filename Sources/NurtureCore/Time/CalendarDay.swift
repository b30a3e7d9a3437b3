import Foundation

/// A date on a wall clock, without a time: the day an away date names, or the business day a
/// hand-off counts on. Stored as days since 1970-01-01 on that clock, as `ZoneClock` counts them.
public struct CalendarDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var number: Int64

    public init(number: Int64) { self.number = number }

    /// The wall-clock date of `instant` in `zone`.
    public init(_ instant: Date, in zone: TimeZone) { number = ZoneClock(zone).dayAndSecond(instant).day }

    /// The years a date may name: enough for any holiday plan, and no arithmetic near overflow.
    public static let years = 2000...2100

    /// `2026-12-24`, a real date within `years`; nil otherwise.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int64(parts[0]), let month = Int64(parts[1]), let day = Int64(parts[2]),
              Self.years.contains(Int(year)), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        let number = Self.days(year: year, month: month, day: day)
        // 2026-02-30 would land on 2026-03-02: refuse it rather than guess.
        guard Self.civil(number) == (year, month, day) else { return nil }
        self.number = number
    }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool { lhs.number < rhs.number }

    public func adding(days: Int64) -> CalendarDay { CalendarDay(number: number + days) }

    public var weekday: Weekday { Weekday.of(localDay: number) }

    /// `2026-12-24`.
    public var description: String {
        let (year, month, day) = Self.civil(number)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))"
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date of a day number (H. Hinnant's `civil_from_days`).
    static func civil(_ number: Int64) -> (Int64, Int64, Int64) {
        let z = number + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
