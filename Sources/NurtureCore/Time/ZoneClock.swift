import Foundation

/// Wall-clock arithmetic in one IANA time zone, without `Calendar`.
///
/// Instants are converted to "local seconds" (seconds since 1970-01-01 00:00 on the zone's wall
/// clock) and back. Converting back resolves daylight-saving edge cases the way people expect:
/// a wall-clock time skipped by a spring-forward gap moves forward by the gap (02:30 becomes
/// 03:30), and a time repeated by a fall-back overlap takes its first occurrence.
///
/// It holds a pointer to its zone's rules, which are never freed (see `ZoneRules`): copying a clock
/// or reading its table touches no reference count shared with other threads.
public struct ZoneClock: @unchecked Sendable {
    private let rules: UnsafePointer<ZoneRules>

    public init(_ zone: TimeZone) { rules = ZoneRules.rules(for: zone) }

    public var zone: TimeZone { rules.pointee.zone }

    private func offset(atUTC seconds: Int64) -> Int64 { rules.pointee.offset(atUTC: seconds) }

    /// Wall-clock seconds since the local epoch for an instant.
    public func localSeconds(_ instant: Date) -> Int64 {
        let utc = Self.utcSeconds(instant)
        return utc + offset(atUTC: utc)
    }

    private static func utcSeconds(_ instant: Date) -> Int64 { Int64(instant.timeIntervalSince1970.rounded(.down)) }

    /// An instant read on the wall clock: its local seconds, and the offset that gave them with the
    /// UTC seconds throughout which it holds. A wall-clock time near the instant is then turned back
    /// into an instant without looking the zone's table up again.
    struct Reading {
        let local: Int64
        private let offset: Int64
        private let from: Int64, until: Int64

        fileprivate init(local: Int64, offset: Int64, from: Int64, until: Int64) {
            self.local = local
            self.offset = offset
            self.from = from
            self.until = until
        }

        /// The same as `ZoneClock.steadyInstant(localSeconds:)` when the offset read holds from a day
        /// before `local` to a day after it; nil otherwise, and then the clock must be asked.
        func steadyInstant(localSeconds local: Int64) -> Date? {
            guard local - 86_400 >= from, local + 86_400 < until else { return nil }
            return Date(timeIntervalSince1970: Double(local - offset))
        }

        var dayAndSecond: (day: Int64, second: Int) { ZoneClock.dayAndSecond(local: local) }
    }

    func reading(_ instant: Date) -> Reading {
        let utc = Self.utcSeconds(instant)
        let stretch = rules.pointee.stretch(atUTC: utc)
        return Reading(local: utc + stretch.offset, offset: stretch.offset, from: stretch.from, until: stretch.until)
    }

    /// The instant at which this zone's wall clock shows `local`.
    public func instant(localSeconds local: Int64) -> Date {
        if let instant = steadyInstant(localSeconds: local) { return instant }
        // The offsets in force a day either side of `local` are those before and after any change
        // near it (every zone's offset is within a day). Each one that maps back onto `local` gives
        // an occurrence of that wall-clock time.
        let before = offset(atUTC: local - 86_400)
        let after = offset(atUTC: local + 86_400)
        let beforeFits = offset(atUTC: local - before) == before
        let afterFits = offset(atUTC: local - after) == after
        // In a fall-back overlap the larger offset gives the first occurrence.
        switch (beforeFits, afterFits) {
        case (true, true): return Date(timeIntervalSince1970: Double(local - max(before, after)))
        case (true, false): return Date(timeIntervalSince1970: Double(local - before))
        case (false, true): return Date(timeIntervalSince1970: Double(local - after))
        case (false, false): break
        }
        // In a spring-forward gap: use the offset from before the change, which lands after it.
        return Date(timeIntervalSince1970: Double(local - before))
    }

    /// The instant at which the wall clock shows `local`, when no offset change comes within a day
    /// of it: then that wall-clock time occurs exactly once, at the one offset in force.
    func steadyInstant(localSeconds local: Int64) -> Date? {
        rules.pointee.steadyOffset(from: local - 86_400, through: local + 86_400)
            .map { Date(timeIntervalSince1970: Double(local - $0)) }
    }

    /// Local day number (days since 1970-01-01 on the wall clock) and second of that day.
    public func dayAndSecond(_ instant: Date) -> (day: Int64, second: Int) { Self.dayAndSecond(local: localSeconds(instant)) }

    static func dayAndSecond(local: Int64) -> (day: Int64, second: Int) {
        let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        return (day, Int(local - day * 86_400))
    }

    public func weekday(_ instant: Date) -> Weekday { Weekday.of(localDay: dayAndSecond(instant).day) }

    /// Adds a span: calendar days keep the wall-clock time, then elapsed seconds are added.
    public func adding(_ span: TimeSpan, to start: Date) -> Date {
        var result = start
        if span.days != 0 {
            let fraction = start.timeIntervalSince1970 - start.timeIntervalSince1970.rounded(.down)
            let reading = reading(start)
            let local = reading.local + Int64(span.days) * 86_400
            result = (reading.steadyInstant(localSeconds: local) ?? instant(localSeconds: local))
                .addingTimeInterval(fraction)
        }
        return result.addingTimeInterval(Double(span.seconds))
    }
}
