import Foundation
@testable import NurtureMail
import Testing

@Suite struct MessageDateTests {
    static func reference(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    @Test(arguments: [0, 951_782_400, 951_868_799, 1_709_164_800, 1_772_446_800, 4_102_444_799, -86_400, 1_795_607_064.9])
    func matchesTheCalendar(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(MessageRenderer.date(date) == Self.reference(date))
    }

    @Test func matchesTheCalendarEveryDayForYears() {
        var seconds = 946_684_800.0 + 45_296  // 2000-01-01 12:34:56
        for _ in 0..<3_000 {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(MessageRenderer.date(date) == Self.reference(date))
            seconds += 86_400 + 3_607
        }
    }
}
