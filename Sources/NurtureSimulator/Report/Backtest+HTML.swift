import Foundation
import NurtureBasics

extension Backtest {
    /// The backtest as one self-contained HTML page, in the same style as the dry-run report: what
    /// the sequence would have sent and handed off against what really happened, each lead's
    /// hand-off on one chart, and the leads whose hand-off would change.
    public var html: String {
        var page = BacktestPage(backtest: self)
        return page.render()
    }

    /// Past this many leads handed off either way, the page's chart shows those whose hand-off
    /// changes most and says how many it left out; its table lists them all.
    static let htmlChartRows = 40
}

/// Builds the backtest's page, section by section.
private struct BacktestPage {
    let backtest: Backtest
    /// A lead handed off either way, and its hand-offs in days from its entry.
    struct Row {
        var result: Backtest.LeadResult
        var change: Backtest.Change
        var recorded: Double?
        var would: Double?

        var first: Double { min(recorded ?? .infinity, would ?? .infinity) }
    }

    /// Leads handed off either way, soonest first: the rows of the chart and the table.
    let handedOff: [Row]
    private var out: [String] = []

    init(backtest: Backtest) {
        self.backtest = backtest
        let formatter = ISO8601DateFormatter()
        func days(_ time: String?, from enrolled: Date?) -> Double? {
            guard let time, let enrolled, let date = formatter.date(from: time) else { return nil }
            return date.timeIntervalSince(enrolled) / 86_400
        }
        handedOff = backtest.results.compactMap { result in
            let change = Backtest.Change(result)
            guard change != .neither else { return nil }
            let enrolled = formatter.date(from: result.enrolled)
            return Row(
                result: result, change: change, recorded: days(result.recordedHandOff, from: enrolled),
                would: days(result.wouldHandOff, from: enrolled))
        }
        .sorted { ($0.first, $0.result.lead) < ($1.first, $1.result.lead) }
    }


    mutating func render() -> String {
        header()
        summary()
        chart()
        table()
        return HTMLPage.render(
            title: "Backtest of \(backtest.sequence) on \(Figures.count(backtest.leads)) recorded leads", sections: out,
            footer: "Produced by <code>nurture backtest</code>. Each lead's recorded events are fed through the sequence at their "
                + "recorded times: given how these people behaved, this is what the sequence would have done.")
    }

    private mutating func header() {
        out += HTMLPage.header(kicker: "Nurture backtest", heading: "Backtest: \(backtest.sequence)", setup: [
            ("Recorded leads", Figures.count(backtest.leads)), ("Followed", "\(Figures.count(backtest.days)) days"),
            ("Entered", backtest.start ?? "at each lead's first recorded send"),
        ])
    }

    private mutating func summary() {
        let sequence = esc(backtest.sequence)
        var sentences = [
            "Replaying how these \(Figures.count(backtest.leads)) leads behaved, \(sequence) would have sent <strong>\(Figures.count(backtest.wouldSend)) emails</strong> "
                + "where \(Figures.count(backtest.recordedSends)) went out\(percentChange(from: backtest.recordedSends, to: backtest.wouldSend)).",
            "It would have handed off <strong>\(Figures.count(backtest.wouldHandOffs, "lead"))</strong> "
                + "where \(Figures.count(backtest.recordedHandOffs)) \(backtest.recordedHandOffs == 1 ? "was" : "were"): "
                + "\(Figures.count(backtest.handedOffByBoth)) by both, \(Figures.count(backtest.onlyRecorded)) only then and \(Figures.count(backtest.onlyWould)) only with \(sequence).",
        ]
        if backtest.handedOffByBoth > 0 {
            let moves = backtest.handOffMoves
            sentences.append("Of the \(Figures.count(backtest.handedOffByBoth)) handed off by both, \(sequence) would hand off \(Figures.count(moves.sooner)) sooner, "
                             + "\(Figures.count(moves.later)) later and \(Figures.count(moves.same)) within the hour.")
        }
        func days(_ value: Double?) -> String { value.map { String(format: "%.1f days", $0) } ?? "none" }
        sentences.append("Median time from entry to hand-off: \(days(backtest.medianDaysToHandOffRecorded)) recorded, "
                         + "<strong>\(days(backtest.medianDaysToHandOffWould))</strong> with \(sequence).")
        out += HTMLPage.summary(sentences)
    }

    private func percentChange(from recorded: Int, to would: Int) -> String {
        guard recorded > 0, recorded != would else { return "" }
        return String(format: " (%+.0f%%)", (Double(would) / Double(recorded) - 1) * 100)
    }

    /// One row per lead handed off either way: where its recorded hand-off fell and where the
    /// sequence's would, in days from its entry, joined by a line.
    private mutating func chart() {
        // The leads whose hand-off moves most, when there are too many to show, kept in time order.
        var rows = handedOff
        if rows.count > Backtest.htmlChartRows {
            // Greatest change first; among equal changes, the sooner row.
            let kept = Set(rows.indices.sorted { (weight(rows[$0]), $1) > (weight(rows[$1]), $0) }.prefix(Backtest.htmlChartRows))
            rows = rows.indices.filter(kept.contains).map { rows[$0] }
        }
        let rowHeight = 24.0, top = 40.0, right = 150.0, width = 900.0
        let left = min(220, max(90, (rows.map { SVGChart.textWidth(label($0.result.lead)) }.max() ?? 0) + 24))
        let plotWidth = width - left - right
        let plotBottom = top + Double(max(1, rows.count)) * rowHeight
        let height = plotBottom + 52
        // Up to the latest hand-off shown, so that a long follow-up does not squeeze the circles together.
        let latest = rows.flatMap { [$0.recorded, $0.would].compactMap { $0 } }.max() ?? 0
        let scale = NiceScale(Int(latest.rounded(.up)))
        func x(_ days: Double) -> Double { left + max(0, min(Double(scale.top), days)) / Double(scale.top) * plotWidth }

        var svg = SVGChart(
            id: "hand-offs", width: width, height: height, title: "Each lead's hand-off, recorded and with \(backtest.sequence)",
            description: "One row per lead handed off either way: a hollow circle where the recorded hand-off fell, a filled one where "
                + "\(backtest.sequence) would hand the lead off, in days from the lead's entry, and how it would change on the right.")
        svg.legend(x: left, y: 16, items: [.swatch("recorded", "recorded"), .swatch("would", "with \(backtest.sequence)")])
        for tick in stride(from: 0, through: scale.top, by: scale.step) {
            let tx = x(Double(tick))
            svg.add("<line class=\"\(tick == 0 ? "axis" : "grid")\" x1=\"\(n(tx))\" y1=\"\(n(top - 4))\" x2=\"\(n(tx))\" y2=\"\(n(plotBottom))\"/>")
            svg.add("<text class=\"tick\" x=\"\(n(tx))\" y=\"\(n(plotBottom + 16))\" text-anchor=\"middle\">\(tick)</text>")
        }
        svg.add("<text class=\"axis-label\" x=\"\(n(left + plotWidth / 2))\" y=\"\(n(plotBottom + 40))\" text-anchor=\"middle\">days from entry</text>")
        if rows.isEmpty {
            svg.add("<text class=\"empty\" x=\"\(n(left + plotWidth / 2))\" y=\"\(n(top + rowHeight * 0.7))\" text-anchor=\"middle\">No lead was handed off either way.</text>")
        }
        for (index, row) in rows.enumerated() {
            let mid = top + (Double(index) + 0.5) * rowHeight
            svg.add("<g>")
            svg.add("<title>\(esc("\(row.result.lead): \(row.change.text)"))</title>")
            svg.add("<text class=\"cat\" x=\"\(n(left - 10))\" y=\"\(n(mid + 4.5))\" text-anchor=\"end\">\(esc(label(row.result.lead)))</text>")
            if let recorded = row.recorded, let would = row.would {
                svg.add("<path class=\"shift\" d=\"M\(n(x(recorded))) \(n(mid))H\(n(x(would)))\"/>")
            }
            if let recorded = row.recorded { svg.add("<circle class=\"recorded\" cx=\"\(n(x(recorded)))\" cy=\"\(n(mid))\" r=\"5\"/>") }
            // Smaller than the recorded circle, so that the two show as a target when they fall together.
            if let would = row.would { svg.add("<circle class=\"would\" cx=\"\(n(x(would)))\" cy=\"\(n(mid))\" r=\"3.5\"/>") }
            svg.add("<text class=\"value\" x=\"\(n(left + plotWidth + 14))\" y=\"\(n(mid + 4.5))\">\(esc(row.change.text))</text>")
            svg.add("</g>")
        }
        out.append("<section id=\"hand-offs\">")
        out.append("<h2>Hand-offs</h2>")
        var note = "Each lead's time is counted from its own entry. A lead handed off only one way has one circle."
        if rows.count < handedOff.count {
            note += " The chart shows the \(rows.count) leads whose hand-off would change most; the table below lists all \(Figures.count(handedOff.count))."
        }
        out.append("<p class=\"note\">\(note)</p>")
        out.append(svg.markup)
        out.append("</section>")
    }

    /// How much a lead's hand-off would change, for choosing the chart's rows: gained or lost
    /// hand-offs first, then by the size of the shift.
    private func weight(_ row: Row) -> Double {
        switch row.change {
        case .lost, .new: .infinity
        case let .sooner(days), let .later(days): days
        case .same, .neither: 0
        }
    }

    private mutating func table() {
        out.append("<section id=\"leads\">")
        out.append("<h2>Leads handed off either way</h2>")
        out.append("<p class=\"note\">Emails sent as recorded \u{2192} as \(esc(backtest.sequence)) would have sent them, and each way's hand-off. "
                   + "Every lead is in the JSON form (<code>--format json</code>).</p>")
        out.append("<div class=\"table-wrap\">")
        out.append("<table>")
        out.append("<thead><tr><th scope=\"col\">Lead</th><th scope=\"col\">Entered (UTC)</th><th scope=\"col\" class=\"num\">Emails</th>"
                   + "<th scope=\"col\">Hand-off recorded</th><th scope=\"col\">Hand-off would be</th>"
                   + "<th scope=\"col\">Change</th></tr></thead>")
        out.append("<tbody>")
        for row in handedOff {
            let result = row.result
            var would = time(result.wouldHandOff)
            if result.wouldHandOff != nil, let reason = result.wouldHandOffReason {
                would += "<br/><span class=\"reason\">\(esc(reason))</span>"
            } else if result.wouldHandOff == nil {
                would += "<br/><span class=\"reason\">\(esc(result.peakText))</span>"
            }
            out.append("<tr><th scope=\"row\" class=\"nowrap\">\(esc(result.lead))</th><td>\(time(result.enrolled))</td>"
                       + "<td class=\"num\">\(Figures.count(result.recordedSends)) \u{2192} \(Figures.count(result.wouldSend))</td>"
                       + "<td>\(time(result.recordedHandOff))</td><td>\(would)</td><td class=\"nowrap\">\(esc(row.change.text))</td></tr>")
        }
        out.append("</tbody>")
        out.append("</table>")
        out.append("</div>")
        out.append("</section>")
    }

    /// A time from the backtest (ISO 8601, UTC) as the table shows it: "2025-10-23 18:55", kept on one line.
    private func time(_ iso: String?) -> String {
        guard let iso else { return "never" }
        let shown = iso.count >= 16 && iso.hasSuffix("Z") ? iso.prefix(10) + " " + iso.dropFirst(11).prefix(5) : Substring(iso)
        return "<span class=\"nowrap\">\(esc(String(shown)))</span>"
    }

    /// A lead's id as its row label, shortened past 28 characters (the row's tooltip has it whole).
    private func label(_ id: String) -> String { id.count > 28 ? String(id.prefix(27)) + "\u{2026}" : id }

    private func esc(_ text: String) -> String { HTMLEscaping.pageText(text) }

    private func n(_ value: Double) -> String { SVGChart.number(value) }
}
