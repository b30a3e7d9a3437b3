import Foundation
import NurtureTestSupport
import PropertyBased
import Testing
@testable import NurtureCore

/// Randomised checks of the wall-clock arithmetic, concentrated around the 2026 DST changes.
@Suite("Time properties")
struct TimePropertyTests {
    static let zones = [Zone.newYork, Zone.sydney, Zone.kolkata, Zone.utc]
    /// The 2026 changes in New York and Sydney, and an ordinary day.
    static let anchors = [utc(2026, 3, 8, 7), utc(2026, 11, 1, 6), utc(2026, 4, 4, 16), utc(2026, 10, 3, 16), utc(2026, 6, 15)]

    /// An instant within four days of one of the anchors, at minute granularity.
    static var instants: Generator<Date, some Sequence & SendableMetatype> {
        zip(Gen.int(in: 0...4), Gen.int(in: -5760...5760)).map { anchors[$0.0].plus(minutes: Double($0.1)) }
    }

    @Test func nextOpeningIsTheFirstInstantInsideTheWindow() async {
        let windows = zip(Gen.int(in: 1...127), Gen.int(in: 0...22), Gen.int(in: 1...24), Gen.int(in: 0...3))
        await propertyCheck(count: 150, input: Self.instants, windows, Gen.int(in: 0...3)) { instant, spec, leadZone in
            let days = Set(Weekday.allCases.filter { spec.0 & (1 << $0.rawValue) != 0 })
            let opens = spec.1 * 3600 + (spec.1 % 2) * 1800
            let closes = min(86_400, opens + spec.2 * 3600)
            let window = SendWindow(days: days, opens: opens, closes: closes, timeZone: Self.zones[spec.3])
            let zone = Self.zones[leadZone]
            let opening = window.nextOpening(atOrAfter: instant, leadZone: zone)
            #expect(opening >= instant)
            #expect(opening <= instant.plus(days: 8))
            #expect(window.contains(opening, leadZone: zone))
            if opening > instant {
                #expect(!window.contains(opening.addingTimeInterval(-1), leadZone: zone))
                var probe = instant
                while probe < opening {
                    #expect(!window.contains(probe, leadZone: zone), "\(probe) is inside, before \(opening)")
                    probe = probe.plus(minutes: 20)
                }
            }
        }
    }

    @Test func wallClockTimesMapToTheirFirstOccurrence() async {
        await propertyCheck(count: 200, input: Self.instants, Gen.int(in: 0...3)) { instant, zone in
            let clock = ZoneClock(Self.zones[zone])
            let local = clock.localSeconds(instant)
            let resolved = clock.instant(localSeconds: local)
            // Every wall-clock time shown at some instant resolves to that time, and to its first
            // occurrence: never later than the instant we started from.
            #expect(clock.localSeconds(resolved) == local)
            #expect(resolved <= instant)
            #expect(clock.localSeconds(resolved.addingTimeInterval(-3600)) != local)
        }
    }

    @Test func calendarDaysKeepTheWallClock() async {
        await propertyCheck(count: 200, input: Self.instants, Gen.int(in: 0...3), Gen.int(in: 0...10)) { instant, zone, days in
            let clock = ZoneClock(Self.zones[zone])
            let end = clock.adding(TimeSpan(days: days), to: instant)
            let target = clock.localSeconds(instant) + Int64(days) * 86_400
            let reached = clock.localSeconds(end)
            // Exactly the same wall-clock time, or, when it does not exist that day, one hour later.
            #expect(reached == target || (reached == target + 3600 && clock.instant(localSeconds: target) == end))
            #expect(end >= instant)
        }
    }

    @Test func timeSpanDescriptionsParseBack() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...60), Gen.int(in: 0...23), Gen.int(in: 0...59)) { days, hours, minutes in
            let span = TimeSpan(days: days, seconds: hours * 3600 + minutes * 60)
            guard span.isPositive else { return }
            #expect(TimeSpan(parsing: span.description) == span, "\(span.description)")
        }
    }
}
