import Foundation
import NurtureTestSupport
import Testing
@testable import NurtureSimulator

/// The HTML reports as a marketer sees them: laid out by a real browser (headless Chromium) at a
/// desktop width and at a narrow one. No chart text is cut off or drawn over other text, and a
/// narrow window scrolls the charts inside their boxes rather than the whole page.
@Suite("the HTML reports in a browser", .enabled(if: HeadlessBrowser.runTests))
struct ReportBrowserTests {
    /// The shipped post-webinar sequence, dry-run through the command line as a user would.
    static func shippedReport(days: Int) throws -> String {
        let run = try NurtureCLI.run([
            "simulate", "post-webinar", "--personas", "examples/personas/b2b-saas.yml", "--prospects", "3000",
            "--days", String(days), "--seed", "3", "--format", "html",
        ])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        return run.stdout
    }

    // A short run puts the 90th percentile near the chart's right edge, a long one near the middle.
    @Test("at a desktop width every chart fits its column, with all its text visible and apart", arguments: [14, 60])
    func desktop(days: Int) throws {
        let layout = try HeadlessBrowser.layout(of: try Self.shippedReport(days: days), width: 1280)
        #expect(layout.pageWidth <= layout.viewport)
        #expect(layout.charts.map(\.id) == ["funnel-title", "daily-title", "time-to-hand-off-title"])
        for chart in layout.charts {
            #expect(chart.width >= 800 && chart.height >= 200, "\(chart.id): \(chart.width) x \(chart.height)")
            #expect(!chart.scrolls, "\(chart.id) scrolls")
            #expect(chart.textOutside.isEmpty, "\(chart.id) cuts off \(chart.textOutside)")
            #expect(chart.overlappingText.isEmpty, "\(chart.id) draws text over text: \(chart.overlappingText)")
        }
        #expect(layout.text.contains("Time to hand-off"))
    }

    @Test("in a narrow window the charts scroll inside their boxes and the page does not")
    func narrow() throws {
        let layout = try HeadlessBrowser.layout(of: try Self.shippedReport(days: 14), width: 500)
        #expect(layout.pageWidth <= layout.viewport)
        #expect(layout.charts.count == 3)
        for chart in layout.charts {
            #expect(chart.scrolls, "\(chart.id) is squeezed to \(chart.width) px instead of scrolling")
            #expect(chart.textOutside.isEmpty, "\(chart.id) cuts off \(chart.textOutside)")
        }
    }

    @Test("names that look like markup show as text, and the page runs no script of its own")
    func hostileNames() async throws {
        let report = try await ReportHTMLFixture.report()
        let layout = try HeadlessBrowser.layout(of: report.html, width: 1280)
        #expect(layout.text.contains(ReportHTMLFixture.hostileName))
        #expect(layout.text.contains(ReportHTMLFixture.hostileSequence))
        #expect(layout.scripts == 1)
    }

    /// Runs `nurture` with `arguments` for a one-chart page, and lays the page out at each of
    /// `widths`: the page never scrolls sideways, a narrow window (500 px) scrolls the chart inside
    /// its box, and no chart text is cut off or drawn over other text.
    static func expectOneChartWhole(_ arguments: [String], widths: [Int] = [1280, 500], showing text: String) throws {
        let run = try NurtureCLI.run(arguments + ["--format", "html"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        for width in widths {
            let layout = try HeadlessBrowser.layout(of: run.stdout, width: width)
            #expect(layout.pageWidth <= layout.viewport)
            let chart = try #require(layout.charts.first)
            #expect(layout.charts.count == 1)
            #expect(chart.scrolls == (width < 600), "\(width) px")
            #expect(chart.textOutside.isEmpty, "\(width) px: the chart cuts off \(chart.textOutside)")
            #expect(chart.overlappingText.isEmpty, "\(width) px: the chart draws text over text: \(chart.overlappingText)")
            #expect(layout.text.contains(text))
        }
    }

    @Test("the threshold sweep's page shows its chart whole, at a desktop width and in a narrow window")
    func sweep() throws {
        try Self.expectOneChartWhole([
            "simulate", "post-webinar", "--personas", "examples/personas/b2b-saas.yml", "--prospects", "1000",
            "--days", "30", "--reps", "2", "--capacity", "5", "--sweep", "threshold=40..120:10",
        ], showing: "Volume against quality")
    }

    @Test("the comparison's page shows its chart whole")
    func comparison() throws {
        try Self.expectOneChartWhole([
            "compare", "post-webinar", "examples/variants/post-webinar-faster.yml", "--personas", "examples/personas/b2b-saas.yml",
            "--prospects", "1000", "--days", "30",
        ], widths: [1280], showing: "post-webinar-faster.yml")
    }

    @Test("the backtest's page shows its chart whole, at a desktop width and in a narrow window")
    func backtest() throws {
        try Self.expectOneChartWhole([
            "backtest", "post-webinar", "--leads", "examples/backtest/leads.csv", "--events", "examples/backtest/webinar-q4-events.csv",
        ], showing: "not handed off")
    }
}
