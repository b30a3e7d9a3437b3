import Foundation

/// Days of the week and hours of the day in which something may happen, on a lead's own wall clock.
///
/// Used for send windows ("Tuesday to Thursday, 09:00 to 16:00 in the lead's zone") and for the
/// business hours that service levels are counted in. The zone is the fallback for leads that have
/// none of their own.
public struct SendWindow: Sendable, Hashable {
    public var days: Set<Weekday> { didSet { dayMask = Self.mask(days) } }
    /// The days as bits (Monday = 1), checked on every send without hashing.
    private var dayMask: UInt8
    /// Opening time, seconds after local midnight.
    public var opens: Int
    /// Closing time, seconds after local midnight; after `opens`.
    public var closes: Int
    /// The zone used when the lead has none.
    public var timeZone: TimeZone

    public init(days: Set<Weekday>, opens: Int, closes: Int, timeZone: TimeZone) {
        self.days = days
        dayMask = Self.mask(days)
        self.opens = opens
        self.closes = closes
        self.timeZone = timeZone
    }

    private static func mask(_ days: Set<Weekday>) -> UInt8 {
        days.reduce(0) { $0 | (1 << UInt8($1.rawValue)) }
    }

    func isOpen(on localDay: Int64) -> Bool { isOpen(weekday: Weekday.of(localDay: localDay).rawValue) }

    /// Whether the window opens on a weekday given by its raw value (Monday = 0).
    private func isOpen(weekday: Int) -> Bool { dayMask & (1 << UInt8(weekday)) != 0 }

    /// How many days from `weekday` (a raw value) to the first open day `least` or more days on,
    /// up to a week; more than 7 when there is none. Read from the day bits laid out over two weeks
    /// rather than by testing each day in turn.
    @inline(__always) private func openDay(from weekday: Int, atLeast least: Int) -> Int {
        let fortnight = UInt32(dayMask) | UInt32(dayMask) << 7
        return least + (fortnight >> UInt32(weekday + least)).trailingZeroBitCount
    }

    /// Every day, all day, in UTC.
    public static let always = SendWindow(days: Set(Weekday.allCases), opens: 0, closes: 86_400, timeZone: .gmt)

    /// Parses `"09:00-16:00"` into seconds after midnight. Nil when malformed or not increasing.
    public static func parseHours(_ text: String) -> (opens: Int, closes: Int)? {
        let halves = text.split(separator: "-", omittingEmptySubsequences: false)
        guard halves.count == 2,
              let opens = parseClock(halves[0].trimmingCharacters(in: .whitespaces)),
              let closes = parseClock(halves[1].trimmingCharacters(in: .whitespaces)),
              opens < closes
        else { return nil }
        return (opens, closes)
    }

    /// `HH:MM` (24-hour, `24:00` allowed as end of day) in seconds after midnight.
    static func parseClock(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count <= 2, parts[1].count == 2,
              let hours = Int(parts[0]), let minutes = Int(parts[1]),
              (0...24).contains(hours), (0..<60).contains(minutes), hours < 24 || minutes == 0
        else { return nil }
        return hours * 3600 + minutes * 60
    }

    public var hoursDescription: String {
        func clock(_ s: Int) -> String { String(format: "%02d:%02d", s / 3600, (s % 3600) / 60) }
        return "\(clock(opens))-\(clock(closes))"
    }

    public var daysDescription: String {
        Weekday.allCases.filter(days.contains).map(\.abbreviation).joined(separator: ", ")
    }

    func zone(for lead: TimeZone?) -> ZoneClock { ZoneClock(lead ?? timeZone) }

    /// True when `instant` falls inside the window on the lead's wall clock.
    public func contains(_ instant: Date, leadZone: TimeZone?) -> Bool {
        contains(instant, clock: zone(for: leadZone))
    }

    /// True when `instant` falls inside the window on `clock`.
    public func contains(_ instant: Date, clock: ZoneClock) -> Bool {
        let (day, second) = clock.dayAndSecond(instant)
        return isOpen(on: day) && second >= opens && second < closes
    }

    /// The earliest instant at or after `instant` that is inside the window.
    public func nextOpening(atOrAfter instant: Date, leadZone: TimeZone?) -> Date {
        nextOpening(atOrAfter: instant, clock: zone(for: leadZone))
    }

    /// The earliest instant at or after `instant` that is inside the window on `clock`.
    public func nextOpening(atOrAfter instant: Date, clock: ZoneClock) -> Date {
        guard dayMask != 0 else { return .distantFuture }
        // Openings near `instant` are turned back into instants with the offset read for it.
        let reading = clock.reading(instant)
        let (today, second) = reading.dayAndSecond
        // The weekday is worked out once; the open days ahead are counted from it.
        let weekday = Weekday.number(ofLocalDay: today)
        if isOpen(weekday: weekday), second >= opens, second < closes { return instant }
        // Open days up to a week ahead; today only if it has not opened yet.
        var next = openDay(from: weekday, atLeast: second < opens ? 0 : 1)
        while next <= 7 {
            let ahead = next
            next = openDay(from: weekday, atLeast: ahead + 1)
            let day = today + Int64(ahead)
            let local = day * 86_400 + Int64(opens)
            if let opening = reading.steadyInstant(localSeconds: local) ?? clock.steadyInstant(localSeconds: local) {
                // Far from any clock change the opening shows exactly `opens` on an open day.
                if opening > instant, opens < closes { return opening }
                continue
            }
            let opening = clock.instant(localSeconds: local)
            // An opening inside a spring-forward gap moves later; it must still be inside the window.
            if opening > instant, contains(opening, clock: clock) { return opening }
        }
        return .distantFuture
    }

    /// The instant the window closes on the local day that contains `instant` (which must be inside it).
    func closing(after instant: Date, clock: ZoneClock) -> Date {
        let day = clock.dayAndSecond(instant).day
        return clock.instant(localSeconds: day * 86_400 + Int64(closes))
    }

    /// `instant` plus `seconds` of time counted only inside the window: how business hours are added.
    public func adding(windowSeconds seconds: Int, to instant: Date, leadZone: TimeZone?) -> Date {
        let clock = zone(for: leadZone)
        var remaining = Double(seconds)
        var now = nextOpening(atOrAfter: instant, clock: clock)
        while remaining > 0, now != .distantFuture {
            let close = closing(after: now, clock: clock)
            let available = close.timeIntervalSince(now)
            if remaining <= available { return now.addingTimeInterval(remaining) }
            remaining -= available
            now = nextOpening(atOrAfter: close, clock: clock)
        }
        return now
    }

    /// The time inside the window between `start` and `end` (zero when `end` is not after
    /// `start`): how long something took in business hours. The inverse of `adding(windowSeconds:)`,
    /// walking the same openings and closings.
    public func windowSeconds(from start: Date, to end: Date, leadZone: TimeZone?) -> Double {
        let clock = zone(for: leadZone)
        var total = 0.0
        var now = nextOpening(atOrAfter: start, clock: clock)
        while now < end, now != .distantFuture {
            let close = closing(after: now, clock: clock)
            total += min(close, end).timeIntervalSince(now)
            now = nextOpening(atOrAfter: close, clock: clock)
        }
        return total
    }
}
