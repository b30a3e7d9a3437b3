import Foundation
import NurtureCore
import NurtureSimulator
import Testing

/// Replaying recorded behaviour through a sequence (`Backtest.run`), on the small scenario: four
/// emails two days apart, a cap of 3 a week, hand-off at 35 for fit A or B.
@Suite("Backtest")
struct BacktestTests {
    static let start = SimTestKit.start  // Monday 2026-01-05 14:00 UTC
    static let definitions = SimTestKit.smallDefinitions(handOff: 35)
    static let utc = TimeZone(identifier: "UTC")!

    static func at(days: Double = 0, hours: Double = 0, minutes: Double = 0) -> Date {
        start.addingTimeInterval(days * 86_400 + hours * 3600 + minutes * 60)
    }

    /// Fit 30 (VP, 800 people: grade A): five engagement points make the hand-off score.
    static func keen(_ id: String) -> Lead {
        Lead(id: id, email: "\(id)@example.com", timeZone: utc, attributes: ["title": "VP Sales", "company_size": "800"])
    }

    /// Fit 0, grade C: never handed off, whatever it does.
    static func poorFit(_ id: String) -> Lead {
        Lead(id: id, email: "\(id)@example.com", timeZone: utc, attributes: ["title": "Intern", "company_size": "20"])
    }

    static func run(_ histories: [Backtest.History], start: Date? = nil, days: Int = 60) -> Backtest {
        Backtest.run(definitions: definitions, sequence: "small", histories: histories, start: start, days: days)
    }

    @Test("a click that makes the score hands off at the click, and the sequence sends nothing after it")
    func handsOffAtTheEventThatMakesTheScore() throws {
        let clickAt = Self.at(hours: 1, minutes: 5)
        let history = Backtest.History(
            lead: Self.keen("hot"),
            events: [(Self.at(hours: 1), EngagementEvent(.emailOpen, step: "email-1")),
                     (clickAt, EngagementEvent(.emailClick, category: "blog", step: "email-1"))],
            recordedSends: [Self.at(), Self.at(days: 2)], recordedHandOff: Self.at(days: 3))
        let backtest = Self.run([history])
        let result = try #require(backtest.results.first)
        #expect(result.lead == "hot")
        #expect(result.enrolled == "2026-01-05T14:00:00Z")
        #expect(result.recordedSends == 2)
        #expect(result.wouldSend == 1)
        #expect(result.recordedHandOff == "2026-01-08T14:00:00Z")
        #expect(result.wouldHandOff == "2026-01-05T15:05:00Z")
        #expect(result.wouldHandOffReason == "reached the hand-off score")
        let shift = try #require(result.handOffShiftDays)
        #expect(abs(shift - clickAt.timeIntervalSince(Self.at(days: 3)) / 86_400) < 1e-9)
        #expect((backtest.handedOffByBoth, backtest.onlyRecorded, backtest.onlyWould) == (1, 0, 0))
    }

    @Test("a quiet lead gets every email, the fourth held back by the weekly cap; an unsubscribe stops the rest")
    func sendsAndStops() throws {
        let quiet = Backtest.History(lead: Self.poorFit("quiet"), events: [], recordedSends: [Self.at()], recordedHandOff: Self.at(days: 9))
        let leaving = Backtest.History(
            lead: Self.keen("leaving"), events: [(Self.at(days: 1), EngagementEvent(.unsubscribe, step: "email-1"))],
            recordedSends: [Self.at(), Self.at(days: 2), Self.at(days: 4)], recordedHandOff: nil)
        let backtest = Self.run([quiet, leaving])
        #expect(backtest.results.map(\.lead) == ["quiet", "leaving"])
        #expect(backtest.results.map(\.wouldSend) == [4, 1])
        #expect(backtest.results.allSatisfy { $0.wouldHandOff == nil && $0.handOffShiftDays == nil })
        #expect((backtest.recordedSends, backtest.wouldSend) == (4, 5))
        #expect((backtest.recordedHandOffs, backtest.wouldHandOffs) == (1, 0))
        #expect((backtest.handedOffByBoth, backtest.onlyRecorded, backtest.onlyWould) == (0, 1, 0))
        #expect(backtest.medianDaysToHandOffRecorded == 9 && backtest.medianDaysToHandOffWould == nil)

        // Followed for five days only, the quiet lead gets three emails: days 0, 2 and 4.
        #expect(Self.run([quiet], days: 5).results.first?.wouldSend == 3)
    }

    @Test("each lead enters at its first recorded send, else its first event, unless a start is given")
    func enrollmentTimes() throws {
        let noSends = Backtest.History(
            lead: Self.poorFit("no-sends"), events: [(Self.at(days: 1), EngagementEvent(.pageVisit, category: "blog"))],
            recordedSends: [], recordedHandOff: nil)
        let later = Backtest.History(lead: Self.poorFit("later"), events: [], recordedSends: [Self.at(days: 3), Self.at(days: 2)], recordedHandOff: nil)
        let nothing = Backtest.History(lead: Self.poorFit("nothing"), events: [], recordedSends: [], recordedHandOff: nil)
        let own = Self.run([noSends, later, nothing])
        // A lead with neither a send nor an event has no time to enter at, and is left out.
        #expect(own.leads == 2)
        #expect(own.results.map(\.enrolled) == ["2026-01-06T14:00:00Z", "2026-01-07T14:00:00Z"])
        let fixed = Self.run([noSends, later, nothing], start: Self.at(days: 10))
        #expect(fixed.leads == 3)
        #expect(fixed.results.allSatisfy { $0.enrolled == "2026-01-15T14:00:00Z" })
    }

    @Test("the totals are the sums of the leads' results")
    func totalsAddUp() throws {
        var histories: [Backtest.History] = []
        for index in 0..<12 {
            let lead = index.isMultiple(of: 2) ? Self.keen("k\(index)") : Self.poorFit("p\(index)")
            let events = (0..<(index % 4)).map { click in
                (Self.at(days: Double(click) * 2, hours: 2), EngagementEvent(.emailClick, category: "blog", step: "email-\(click + 1)"))
            }
            histories.append(Backtest.History(
                lead: lead, events: events, recordedSends: [Self.at(), Self.at(days: 2)],
                recordedHandOff: index % 3 == 0 ? Self.at(days: 5) : nil))
        }
        let backtest = Self.run(histories)
        #expect(backtest.leads == 12 && backtest.results.count == 12)
        #expect(backtest.recordedSends == backtest.results.map(\.recordedSends).reduce(0, +))
        #expect(backtest.wouldSend == backtest.results.map(\.wouldSend).reduce(0, +))
        #expect(backtest.recordedHandOffs == backtest.results.filter { $0.recordedHandOff != nil }.count)
        #expect(backtest.wouldHandOffs == backtest.results.filter { $0.wouldHandOff != nil }.count)
        #expect(backtest.handedOffByBoth == backtest.results.filter { $0.handOffShiftDays != nil }.count)
        #expect(backtest.handedOffByBoth + backtest.onlyRecorded == backtest.recordedHandOffs)
        #expect(backtest.handedOffByBoth + backtest.onlyWould == backtest.wouldHandOffs)
        // Keen leads with one click or more reach 35; poor fits never do.
        #expect(backtest.results.filter { $0.wouldHandOff != nil }.map(\.lead) == ["k2", "k6", "k10"])
    }

    @Test("a lead the sequence would not hand off shows how close it came: its peak score, rounded down, and its fit grade")
    func peakScoreOfLeadsNotHandedOff() throws {
        // Fit 30; an open (1 point) and another a day later: 30 + 2^(-1/30) + 1 = 31.977 at the second.
        let warm = Backtest.History(
            lead: Self.keen("warm"),
            events: [(Self.at(hours: 1), EngagementEvent(.emailOpen, step: "email-1")),
                     (Self.at(days: 1, hours: 1), EngagementEvent(.emailOpen, step: "email-1"))],
            recordedSends: [Self.at()], recordedHandOff: Self.at(days: 5))
        // Fit 0, grade C: a pricing click (12 points) is its whole score, and the grade keeps it out anyway.
        let poor = Backtest.History(
            lead: Self.poorFit("poor"), events: [(Self.at(hours: 2), EngagementEvent(.emailClick, category: "pricing", step: "email-1"))],
            recordedSends: [Self.at()], recordedHandOff: Self.at(days: 2))
        let backtest = Self.run([warm, poor])
        #expect(backtest.results.map(\.wouldHandOff) == [nil, nil])
        #expect(backtest.results.map(\.peakScore) == [31.9, 12])
        #expect(backtest.results.map(\.grade) == ["A", "C"])
        #expect(backtest.text.contains("  warm: recorded 2026-01-10T14:00:00Z, would be never (peaked at 31.9, fit A)\n"), "\(backtest.text)")
        #expect(backtest.text.contains("  poor: recorded 2026-01-07T14:00:00Z, would be never (peaked at 12.0, fit C)\n"), "\(backtest.text)")

        // A lead handed off peaks at or above the hand-off score.
        let hot = Backtest.History(
            lead: Self.keen("hot"), events: [(Self.at(hours: 1), EngagementEvent(.emailClick, category: "pricing", step: "email-1"))],
            recordedSends: [Self.at()], recordedHandOff: nil)
        let handedOff = try #require(Self.run([hot]).results.first)
        #expect(handedOff.wouldHandOff != nil && handedOff.peakScore >= 35)
    }

    @Test("every key of the backtest's JSON is documented")
    func documentsEveryJSONKey() throws {
        let history = Backtest.History(
            lead: Self.keen("hot"), events: [(Self.at(hours: 1), EngagementEvent(.emailClick, category: "pricing", step: "email-1"))],
            recordedSends: [Self.at()], recordedHandOff: Self.at(days: 3))
        let keys = try SimTestKit.jsonKeys(ReportJSON.encode(Self.run([history])))
        let section = try #require(try SimTestKit.reportDocs().components(separatedBy: "## Backtest").last)
        #expect(keys.contains("would_hand_off_reason"))
        for key in keys.sorted() {
            #expect(section.contains("`\(key)`"), "the backtest section of docs/simulation-report.md does not mention `\(key)`")
        }
    }
}
