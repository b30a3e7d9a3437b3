import Foundation
import NurtureCore
import Testing
@testable import NurtureSimulator

/// The backtest's HTML page: well-formed, one chart row per lead handed off either way, the
/// change named for each, lead ids escaped, and a long list cut to the leads that change most.
@Suite struct BacktestPageTests {
    typealias Kit = BacktestTests

    /// A lead that clicks an hour into its first email: keen leads reach the hand-off score then.
    static func clicker(_ lead: Lead, recordedHandOff: Date?) -> Backtest.History {
        Backtest.History(
            lead: lead, events: [(Kit.at(hours: 1), EngagementEvent(.emailClick, category: "blog", step: "email-1"))],
            recordedSends: [Kit.at()], recordedHandOff: recordedHandOff)
    }

    @Test func showsEachLeadHandedOffEitherWay() throws {
        let backtest = Kit.run([
            Self.clicker(Kit.keen("<b>hot & \"early\"</b>"), recordedHandOff: Kit.at(days: 3)),  // sooner
            Self.clicker(Kit.poorFit("lost"), recordedHandOff: Kit.at(days: 4)),  // only recorded
            Self.clicker(Kit.keen("new"), recordedHandOff: nil),  // only with the sequence
            Self.clicker(Kit.poorFit("neither"), recordedHandOff: nil),
        ])
        #expect((backtest.handedOffByBoth, backtest.onlyRecorded, backtest.onlyWould) == (1, 1, 1))
        let html = backtest.html
        #expect(html == backtest.html)
        let document = try ParsedHTML(html)
        #expect(document.count("svg") == 1)
        #expect(document.elements.filter { $0.name == "circle" && $0.attributes["class"] == "recorded" }.count == 2)
        #expect(document.elements.filter { $0.name == "circle" && $0.attributes["class"] == "would" }.count == 2)
        #expect(document.elements.filter { $0.name == "path" && $0.attributes["class"] == "shift" }.count == 1)
        // A header row, then the three leads handed off either way, soonest first.
        #expect(document.count("tr") == 4)
        #expect(document.text.contains("<b>hot & \"early\"</b>"))
        #expect(!html.contains("<b>hot"))
        for change in ["3.0 days sooner", "not handed off", "new hand-off"] {
            #expect(document.text.contains(change), "\(change)")
        }
        #expect(!document.text.contains("neither"))
        // The lead the sequence would not hand off: how close it came (a blog click, 5 points on fit 0).
        #expect(document.text.contains("peaked at 5.0, fit C"))
        #expect(html.contains("would have handed off <strong>2 leads</strong> where 2 were: 1 by both, 1 only then and 1 only with small."))
        #expect(html.contains("Of the 1 handed off by both, small would hand off 1 sooner, 0 later and 0 within the hour."))
        #expect(document.count("script") == 0)
    }

    @Test func saysSoWhenNoLeadIsHandedOff() throws {
        let backtest = Kit.run([Self.clicker(Kit.poorFit("quiet"), recordedHandOff: nil)])
        let document = try ParsedHTML(backtest.html)
        #expect(document.text.contains("No lead was handed off either way."))
        #expect(document.count("circle") == 0)
        #expect(document.count("tr") == 1)
    }

    @Test func aLongListKeepsTheLeadsThatChangeMostOnTheChart() throws {
        // Recorded hand-offs later and later: the sequence's moves sooner by more for each lead.
        let count = Backtest.htmlChartRows + 5
        let backtest = Kit.run((0..<count).map { index in
            Self.clicker(Kit.keen("k\(index)"), recordedHandOff: Kit.at(days: 3 + Double(index) / 10))
        })
        let document = try ParsedHTML(backtest.html)
        // Each row of the chart is a group titled "lead: change".
        let chartLabels = Set(document.elements.filter { $0.name == "g" && $0.firstChild == "title" }
            .compactMap { $0.firstChildText?.split(separator: ":").first.map(String.init) })
        #expect(chartLabels.count == Backtest.htmlChartRows)
        #expect(!chartLabels.contains("k0") && !chartLabels.contains("k4"))
        #expect(chartLabels.contains("k5") && chartLabels.contains("k\(count - 1)"))
        #expect(document.count("tr") == 1 + count)
        #expect(document.text.contains("The chart shows the \(Backtest.htmlChartRows) leads whose hand-off would change most"))
    }
}
