import Foundation
import Synchronization

/// A zone's UTC offsets as a table of transitions, built once per zone from the system's time-zone
/// data and shared.
///
/// Asking `TimeZone` for an offset goes through ICU and a lock on every call; the engine asks
/// several times per step, millions of times in a simulation. A binary search over a zone's few
/// hundred transitions gives the same answers far faster.
final class ZoneRules: Sendable {
    let zone: TimeZone
    /// UTC seconds at which each offset starts; the first is `Int64.min`.
    private let starts: [Int64]
    private let offsets: [Int64]
    /// The table covers instants up to here; later ones ask the zone itself.
    private let end: Int64

    private static let cache = Mutex<[String: ZoneRules]>([:])
    static let tableStart = Date(timeIntervalSince1970: -2_208_988_800)  // 1900
    static let tableEnd = Date(timeIntervalSince1970: 4_102_444_800)  // 2100

    /// The shared rules for a zone.
    static func rules(for zone: TimeZone) -> ZoneRules {
        cache.withLock { cache in
            if let rules = cache[zone.identifier] { return rules }
            let rules = ZoneRules(zone)
            cache[zone.identifier] = rules
            return rules
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
        self.starts = starts
        self.offsets = offsets
        end = Int64(Self.tableEnd.timeIntervalSince1970)
    }

    /// The zone's offset from UTC, in seconds, at a UTC second.
    func offset(atUTC seconds: Int64) -> Int64 {
        guard seconds < end else { return Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))) }
        var low = 0, high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= seconds { low = middle } else { high = middle - 1 }
        }
        return offsets[low]
    }
}
