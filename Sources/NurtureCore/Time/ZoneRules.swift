import Foundation

/// A zone's UTC offsets as a table of transitions, built once per zone from the system's time-zone
/// data and kept for the life of the process.
///
/// Asking `TimeZone` for an offset goes through ICU and a lock on every call; the engine asks
/// several times per step, millions of times in a simulation. The table, with the stretch of time
/// in force at the start of each bucket of it, answers in a comparison or two.
///
/// The tables are plain memory that is never freed, reached through a pointer (`ZoneClock`), not
/// a reference-counted object: every worker of a simulation reads the same few zones' tables, and
/// when they were a shared class instance and arrays, each lookup retained and released them, so
/// the workers' cores fought over the same reference counts (two threads gave 1.33 times one).
/// Memory read by many cores stays in every core's cache; a count written by many does not.
struct ZoneRules {
    /// Also never freed: with no reference in it, a `ZoneRules` is plain data that copies with no
    /// retain (a `TimeZone` held here was retained on every lookup).
    private let lastingZone: UnsafePointer<TimeZone>
    var zone: TimeZone { lastingZone.pointee }
    /// UTC seconds at which each offset starts; the first is `Int64.min`.
    private let starts: UnsafeBufferPointer<Int64>
    private let offsets: UnsafeBufferPointer<Int64>
    /// For each bucket of `1 << bucketShift` seconds from `origin`, the last transition at or
    /// before the bucket's start: a lookup past the bucket's first stretch starts there and steps
    /// over the few inside the bucket.
    private let buckets: UnsafeBufferPointer<Int32>
    /// For each bucket, the stretch in force at its start: most lookups end there.
    private let bucketStretches: UnsafeBufferPointer<Stretch>
    private let origin: Int64
    /// The table covers instants up to here; later ones ask the zone itself.
    private let end: Int64

    /// About 24 days: fewer than one transition per bucket in every zone's history.
    private static let bucketShift: Int64 = 21
    private static let cache = Cache()
    static let tableStart = Date(timeIntervalSince1970: -2_208_988_800)  // 1900
    static let tableEnd = Date(timeIntervalSince1970: 4_102_444_800)  // 2100

    /// The rules for a zone, built on first use and never freed, so the pointer stays valid for
    /// the life of the process.
    static func rules(for zone: TimeZone) -> UnsafePointer<ZoneRules> { cache.rules(for: zone) }

    /// Every zone's rules, built on first use: the one global state the engine keeps.
    ///
    /// It is allowed because it changes nothing the engine computes: the rules are a pure function
    /// of the zone and the system's time-zone data, built once and never changed, so a run sees the
    /// same offsets whether or not the table was already built. Passing a cache down to every
    /// `ZoneClock` instead would thread it through every lead and definition for no difference in
    /// results. Guarded by a pthread lock (`NSLock`), which ThreadSanitizer sees; it does not see
    /// the futex inside `Synchronization.Mutex`, and reported its accesses as races. Entries are
    /// never removed (a process meets a few hundred zones at most, about 90 KB each).
    private final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var rules: [String: UnsafePointer<ZoneRules>] = [:]

        func rules(for zone: TimeZone) -> UnsafePointer<ZoneRules> {
            lock.withLock {
                if let known = rules[zone.identifier] { return known }
                let built = UnsafeMutablePointer<ZoneRules>.allocate(capacity: 1)
                built.initialize(to: ZoneRules(zone))
                rules[zone.identifier] = UnsafePointer(built)
                return UnsafePointer(built)
            }
        }
    }

    /// A copy of `array` in memory that is never freed.
    private static func lasting<Element>(_ array: [Element]) -> UnsafeBufferPointer<Element> {
        let memory = UnsafeMutableBufferPointer<Element>.allocate(capacity: array.count)
        _ = memory.initialize(from: array)
        return UnsafeBufferPointer(memory)
    }

    private init(_ zone: TimeZone) {
        let lastingZone = UnsafeMutablePointer<TimeZone>.allocate(capacity: 1)
        lastingZone.initialize(to: zone)
        self.lastingZone = UnsafePointer(lastingZone)
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
        self.starts = Self.lasting(starts)
        self.offsets = Self.lasting(offsets)
        self.buckets = Self.lasting(buckets)
        bucketStretches = Self.lasting(buckets.map { Self.stretch(at: Int($0), starts: starts, offsets: offsets, end: end) })
    }

    /// An offset and the UTC seconds `from..<until` throughout which it is in force.
    struct Stretch {
        let offset: Int64
        let from: Int64
        let until: Int64
    }

    private static func stretch<Table: RandomAccessCollection<Int64>>(
        at index: Int, starts: Table, offsets: Table, end: Int64
    ) -> Stretch where Table.Index == Int {
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
