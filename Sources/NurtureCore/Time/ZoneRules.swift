import Foundation

/// A zone's UTC offsets as a table of transitions, built once per zone from the system's time-zone
/// data and shared.
///
/// Asking `TimeZone` for an offset goes through ICU and a lock on every call; the engine asks
/// several times per step, millions of times in a simulation. The table, with the stretch of time
/// in force at the start of each bucket of it, answers in a comparison or two.
final class ZoneRules: Sendable {
    let zone: TimeZone
    /// UTC seconds at which each offset starts; the first is `Int64.min`.
    private let starts: [Int64]
    private let offsets: [Int64]
    /// For each bucket of `1 << bucketShift` seconds from `origin`, the last transition at or
    /// before the bucket's start: a lookup past the bucket's first stretch starts there and steps
    /// over the few inside the bucket.
    private let buckets: [Int32]
    /// For each bucket, the stretch in force at its start: most lookups end there.
    private let bucketStretches: [Stretch]
    private let origin: Int64
    /// The table covers instants up to here; later ones ask the zone itself.
    private let end: Int64

    /// About 24 days: fewer than one transition per bucket in every zone's history.
    private static let bucketShift: Int64 = 21
    private static let cache = Cache()
    static let tableStart = Date(timeIntervalSince1970: -2_208_988_800)  // 1900
    static let tableEnd = Date(timeIntervalSince1970: 4_102_444_800)  // 2100

    /// The shared rules for a zone.
    static func rules(for zone: TimeZone) -> ZoneRules { cache.rules(for: zone) }

    /// Every zone's rules, built on first use: the one global state the engine keeps.
    ///
    /// It is allowed because it changes nothing the engine computes: the rules are a pure function
    /// of the zone and the system's time-zone data, built once and never changed, so a run sees the
    /// same offsets whether or not the table was already built. Passing a cache down to every
    /// `ZoneClock` instead would thread it through every lead and definition for no difference in
    /// results. Guarded by a pthread lock (`NSLock`), which ThreadSanitizer sees; it does not see
    /// the futex inside `Synchronization.Mutex`, and reported its accesses as races.
    private final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var rules: [String: ZoneRules] = [:]

        func rules(for zone: TimeZone) -> ZoneRules {
            lock.withLock {
                if let known = rules[zone.identifier] { return known }
                let built = ZoneRules(zone)
                rules[zone.identifier] = built
                return built
            }
        }
    }

    private init(_ zone: TimeZone) {
        self.zone = zone
        var starts: [Int64] = [.min]
        var offsets: [Int64] = [Int64(zone.secondsFromGMT(for: Self.tableStart))]
        var cursor = Self.tableStart
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < Self.tableEnd, next > cursor {
            let offset = Int64(zone.secondsFromGMT(for: next))
            if offset != offsets.last {
                starts.append(Int64(next.timeIntervalSince1970.rounded(.down)))
                offsets.append(offset)
            }
            cursor = next
        }
        let origin = Int64(Self.tableStart.timeIntervalSince1970), end = Int64(Self.tableEnd.timeIntervalSince1970)
        var buckets: [Int32] = []
        var index = 0
        for bucketStart in stride(from: origin, through: end, by: 1 << Int(Self.bucketShift)) {
            while index + 1 < starts.count, starts[index + 1] <= bucketStart { index += 1 }
            buckets.append(Int32(index))
        }
        self.origin = origin
        self.end = end
        self.starts = starts
        self.offsets = offsets
        self.buckets = buckets
        bucketStretches = buckets.map { Self.stretch(at: Int($0), starts: starts, offsets: offsets, end: end) }
    }

    /// An offset and the UTC seconds `from..<until` throughout which it is in force.
    struct Stretch {
        let offset: Int64
        let from: Int64
        let until: Int64
    }

    private static func stretch(at index: Int, starts: [Int64], offsets: [Int64], end: Int64) -> Stretch {
        Stretch(offset: offsets[index], from: starts[index], until: index + 1 < starts.count ? min(starts[index + 1], end) : end)
    }

    /// The zone's offset from UTC, in seconds, at a UTC second.
    func offset(atUTC seconds: Int64) -> Int64 { stretch(atUTC: seconds).offset }

    /// The offset in force at a UTC second, with the stretch of time it holds for (empty beyond the table).
    func stretch(atUTC seconds: Int64) -> Stretch {
        guard seconds < end else {
            let offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds))))
            return Stretch(offset: offset, from: seconds, until: seconds)
        }
        if seconds >= origin {
            let first = bucketStretches[Int((seconds - origin) >> Self.bucketShift)]
            if seconds < first.until { return first }
        }
        return Self.stretch(at: transition(atUTC: seconds), starts: starts, offsets: offsets, end: end)
    }

    /// The offset in force throughout `first...last` (UTC seconds), or nil when it changes between
    /// them or they are beyond the table.
    func steadyOffset(from first: Int64, through last: Int64) -> Int64? {
        let stretch = stretch(atUTC: first)
        return last < stretch.until ? stretch.offset : nil
    }

    /// The index of the last transition at or before `seconds`, which must be before `end`.
    private func transition(atUTC seconds: Int64) -> Int {
        guard seconds >= origin else { return 0 }
        var index = Int(buckets[Int((seconds - origin) >> Self.bucketShift)])
        while index + 1 < starts.count, starts[index + 1] <= seconds { index += 1 }
        return index
    }
}
