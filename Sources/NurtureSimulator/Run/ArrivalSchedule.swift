import Foundation
import NurtureCore

/// When each prospect of a dry run enters the sequence, instead of all of them at the start: a
/// launch is not a flood on one morning but a trickle of sign-ups, or a webinar's spike and then a
/// trickle, and sales feels the difference.
///
/// Two sources, both on the lifecycle's business hours and time zone:
/// - so many a business day (`300/day`): the scheduler's paced enrolment (``EnrollmentPace``), one
///   every business-day length / N from the first business moment at or after the start, until the
///   horizon or `limit` prospects, whichever comes first; evenings and non-business days get none;
/// - so many on each date (a file): each date's count spread evenly over that date's business
///   hours, on whatever weekday the date falls (a date named in a file is taken as meant).
///
/// Arrivals before the start are moved to the start; those at or after the horizon (or after the
/// run's last day) do not happen.
/// The times are in order, so prospect `i` (who draws from its own random stream) arrives at
/// `times[i]` whatever the number of threads.
public struct ArrivalSchedule: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        case perBusinessDay(Int)
        case daily([DailyCount])
    }

    /// So many prospects arriving on one date of the business clock.
    public struct DailyCount: Sendable, Equatable {
        public var day: CalendarDay
        public var count: Int

        public init(day: CalendarDay, count: Int) {
            self.day = day
            self.count = count
        }
    }

    /// The most prospects a schedule brings, as `--prospects` allows: it bounds the times kept.
    public static let maxArrivals = 10_000_000
    /// The longest run a schedule covers, as `--days` allows.
    public static let maxDays = 3_650

    public let source: Source
    /// Each prospect's arrival, by index, in order.
    public let times: [Date]
    /// Arrivals on each day of the run, on the business clock.
    public let perDay: [Int]

    public init(_ source: Source, start: Date, days: Int, limit: Int, businessHours: SendWindow) {
        self.source = source
        let days = max(0, min(days, Self.maxDays))
        let limit = min(max(0, limit), Self.maxArrivals)
        var times: [Date]
        switch source {
        case let .perBusinessDay(perDay):
            // Never more than one business day's worth for each calendar day of the run.
            let (most, overflow) = max(1, perDay).multipliedReportingOverflow(by: days + 1)
            let count = min(limit, overflow ? .max : most)
            times = EnrollmentPace.perBusinessDay(max(1, perDay)).starts(count: count, from: start, businessHours: businessHours)
        case let .daily(counts):
            times = Self.spread(counts, start: start, limit: limit, businessHours: businessHours)
        }
        let end = Self.end(start: start, days: days, zone: businessHours.timeZone)
        if let past = times.firstIndex(where: { $0 >= end }) { times.removeSubrange(past...) }
        self.times = times
        perDay = Self.perDay(times, start: start, days: days, zone: businessHours.timeZone)
    }

    /// Each date's count spread evenly over its business hours, dates in order.
    static func spread(_ counts: [DailyCount], start: Date, limit: Int, businessHours: SendWindow) -> [Date] {
        let clock = ZoneClock(businessHours.timeZone)
        let length = Int64(businessHours.closes - businessHours.opens)
        var times: [Date] = []
        for daily in counts.sorted(by: { $0.day < $1.day }) where daily.count > 0 {
            let opens = daily.day.number * 86_400 + Int64(businessHours.opens)
            for slot in 0..<Int64(daily.count) {
                guard times.count < limit else { return times }
                let at = clock.instant(localSeconds: opens + slot * length / Int64(daily.count))
                times.append(max(at, start))
            }
        }
        return times
    }

    /// When arrivals stop: at the horizon, or at the end of the run's last day on the business
    /// clock if that comes first (a run that starts mid-day ends mid-day, and the day of its horizon
    /// is not one of its days).
    static func end(start: Date, days: Int, zone: TimeZone) -> Date {
        let clock = ZoneClock(zone)
        let afterLastDay = clock.instant(localSeconds: (clock.dayAndSecond(start).day + Int64(days)) * 86_400)
        return min(start.addingTimeInterval(Double(days) * 86_400), afterLastDay)
    }

    /// How many of `times` fall on each of the run's `days`, on `zone`'s clock.
    static func perDay(_ times: [Date], start: Date, days: Int, zone: TimeZone) -> [Int] {
        let clock = ZoneClock(zone)
        let first = clock.dayAndSecond(start).day
        var perDay = [Int](repeating: 0, count: days)
        for time in times {
            let day = Int(clock.dayAndSecond(time).day - first)
            if perDay.indices.contains(day) { perDay[day] += 1 }
        }
        return perDay
    }

    /// `300/day`, or `14 dates from a file`, for reports.
    public var summary: String {
        switch source {
        case let .perBusinessDay(perDay): "\(perDay)/day"
        case let .daily(counts): "\(counts.count) date\(counts.count == 1 ? "" : "s") from a file"
        }
    }
}
