import Foundation
import Testing
@testable import NurtureCore

@Suite("TimeSpan")
struct TimeSpanTests {
    @Test(arguments: [
        ("30m", 0, 1800),
        ("4h", 0, 14_400),
        ("3d", 3, 0),
        ("2w", 14, 0),
        ("1d12h", 1, 43_200),
        ("1w2d3h4m", 9, 3 * 3600 + 4 * 60),
        ("90m", 0, 5400),
        ("0d", 0, 0),
    ])
    func parsesValidSpans(text: String, days: Int, seconds: Int) {
        #expect(TimeSpan(parsing: text) == TimeSpan(days: days, seconds: seconds))
    }

    @Test(arguments: ["", "3", "d", "3x", "12h1d", "1d1d", "-3d", "3 d", "3D", "d3", "1.5d", "3d ", " 3d", "1000000d", "3dd"])
    func rejectsInvalidSpans(text: String) {
        #expect(TimeSpan(parsing: text) == nil)
    }

    @Test func describesAndSpellsOut() {
        #expect(span("2w").description == "2w")
        #expect(span("1d12h").description == "1d12h")
        #expect(span("10d").description == "10d")
        #expect(span("90m").description == "1h30m")
        #expect(TimeSpan().description == "0m")
        #expect(span("3d").spelledOut == "3 days")
        #expect(span("1d12h").spelledOut == "1 day 12 hours")
        #expect(span("1w").spelledOut == "1 week")
        #expect(span("1m").spelledOut == "1 minute")
        #expect(TimeSpan().spelledOut == "no time")
    }

    @Test func nominalSecondsAndPositivity() {
        #expect(span("1d12h").nominalSeconds == 129_600)
        #expect(span("2w").nominalSeconds == 14 * 86_400)
        #expect(span("1m").isPositive)
        #expect(!span("0m").isPositive)
        #expect(TimeSpan.hours(4) == span("4h"))
        #expect(TimeSpan.minutes(30) == span("30m"))
        #expect(TimeSpan.days(3) == span("3d"))
    }
}
