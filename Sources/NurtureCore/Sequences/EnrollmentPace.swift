import Foundation

/// How fast a large enrolment starts: so many leads per business day, or all of them over so many
/// business days, instead of every lead on the same morning (a flood of first emails, then of
/// hand-offs a week later).
///
/// Starts are spread evenly over business time, one every (business-day length / per day)
/// business seconds from the first business moment at or after the request. So no calendar
/// business day gets more than the pace, evenings and weekends get none, and a request made at
/// 14:00 starts its first lead at 14:00. A sequence may name its default (`pace: 300/day`), which
/// `nurture enroll --where` uses unless told otherwise.
public enum EnrollmentPace: Sendable, Equatable {
    case perBusinessDay(Int)
    case overBusinessDays(Int)

    /// Limits for both forms: at most this many starts per day, and this many days.
    public static let perDayRange = 1...1_000_000
    public static let daysRange = 1...365

    /// Why a pace was refused.
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// `300/day`.
    public static func parse(pace text: String) throws(Problem) -> EnrollmentPace {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].trimmingCharacters(in: .whitespaces) == "day",
              let count = Int(parts[0].trimmingCharacters(in: .whitespaces)), perDayRange.contains(count)
        else {
            throw Problem(description: "pace '\(text)' is not N/day with N from 1 to \(perDayRange.upperBound), e.g. 300/day")
        }
        return .perBusinessDay(count)
    }

    /// `10d`: business days.
    public static func parse(over text: String) throws(Problem) -> EnrollmentPace {
        guard text.hasSuffix("d"), let days = Int(text.dropLast()), daysRange.contains(days) else {
            throw Problem(description: "'\(text)' is not a number of business days from 1 to \(daysRange.upperBound), e.g. 10d")
        }
        return .overBusinessDays(days)
    }

    /// Starts per business day for `count` leads.
    public func perDay(count: Int) -> Int {
        switch self {
        case let .perBusinessDay(n): n
        case let .overBusinessDays(days): max(1, (count + days - 1) / days)
        }
    }

    /// The start of each of `count` leads, in order, from `start` on `businessHours`. Each start is
    /// the one before plus the business time between their offsets, so the days are walked once
    /// rather than once per lead (a dry run may spread millions of arrivals over years).
    public func starts(count: Int, from start: Date, businessHours: SendWindow) -> [Date] {
        guard count > 0 else { return [] }
        let dayLength = businessHours.closes - businessHours.opens
        let perDay = perDay(count: count)
        let first = businessHours.nextOpening(atOrAfter: start, leadZone: nil)
        var starts: [Date] = []
        starts.reserveCapacity(count)
        var walked = 0, at = first
        for index in 0..<count {
            // In whole numbers: with a gap in floating point, a day's last start could round down
            // into the day before, which then had one start more than the pace.
            let offset = index * dayLength / perDay
            guard offset > 0 else {
                starts.append(first)
                continue
            }
            at = businessHours.adding(windowSeconds: offset - walked, to: at, leadZone: nil)
            walked = offset
            // Business time that ends exactly at closing lands on the closing instant: that start
            // belongs to the next opening.
            starts.append(businessHours.contains(at, leadZone: nil) ? at : businessHours.nextOpening(atOrAfter: at, leadZone: nil))
        }
        return starts
    }
}
