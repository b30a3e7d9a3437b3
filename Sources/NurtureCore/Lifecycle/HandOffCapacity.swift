import Foundation

/// The one counting rule for a rep's daily capacity, shared by routing and by forecasts, so that
/// they agree on how full a day is.
///
/// A hand-off counts against its rep's capacity on the business day it is made, read on the
/// business-hours clock (`business_hours.time_zone`). One made on a day that is not a business day
/// (a Saturday) counts on the next business day, when the rep will answer it. The hours of the day
/// do not matter: a hand-off at 20:00 on a Tuesday counts on that Tuesday.
public enum HandOffCapacity {
    /// The business day whose capacity a hand-off made at `instant` uses.
    public static func day(of instant: Date, businessHours: SendWindow) -> CalendarDay {
        let date = CalendarDay(instant, in: businessHours.timeZone)
        var day = date
        // A week holds a business day unless there are none; then the date itself.
        for _ in 0..<7 {
            if businessHours.isOpen(on: day.number) { return day }
            day = day.adding(days: 1)
        }
        return date
    }

    /// The instants whose hand-offs count on `day` (a business day): from the end of the previous
    /// business day to the end of `day`, on the business-hours clock. Empty for any other day.
    public static func instants(countingOn day: CalendarDay, businessHours: SendWindow) -> Range<Date> {
        let clock = ZoneClock(businessHours.timeZone)
        let end = clock.instant(localSeconds: (day.number + 1) * 86_400)
        guard businessHours.isOpen(on: day.number) else { return end..<end }
        var first = day
        for _ in 0..<6 where !businessHours.isOpen(on: first.number - 1) { first = first.adding(days: -1) }
        return clock.instant(localSeconds: first.number * 86_400)..<end
    }
}
