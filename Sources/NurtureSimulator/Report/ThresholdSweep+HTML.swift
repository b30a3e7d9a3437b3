import Foundation
import NurtureBasics
import NurtureCore

extension ThresholdSweep {
    /// The sweep as one self-contained HTML page, in the same style as the dry-run report: a chart
    /// of hand-off volume against quality by threshold, and the table behind it. The page a
    /// marketer sends the head of sales to agree on the hand-off score.
    public var html: String {
        var page = ThresholdSweepPage(sweep: self)
        return page.render()
    }

    /// The lowest threshold from which sales keeps up on every day: at it and above it, no
    /// business day ends with hand-offs past the service level. Nil when even the highest does not.
    public var lowestThresholdSalesKeepsUpFrom: Double? {
        guard let last = rows.lastIndex(where: { $0.overloadedDays > 0 }) else { return rows.first?.threshold }
        return last + 1 < rows.count ? rows[last + 1].threshold : nil
    }

    /// The lowest threshold at which at least `share` of hand-offs come from high-intent personas.
    public func lowestThreshold(withQualityAtLeast share: Double) -> Double? {
        rows.first { $0.handOffs.count > 0 && $0.quality.rate >= share }?.threshold
    }
}

/// Builds the sweep's page, section by section.
private struct ThresholdSweepPage {
    let sweep: ThresholdSweep
    private var out: [String] = []

    init(sweep: ThresholdSweep) { self.sweep = sweep }


    mutating func render() -> String {
        header()
        summary()
        chart()
        table()
        return HTMLPage.render(
            title: "Hand-off threshold sweep for \(sweep.sequence): \(Figures.count(sweep.prospects, "prospect")) over \(Figures.count(sweep.days, "day")), seed \(sweep.seed)",
            sections: out,
            footer: "Produced by <code>nurture simulate --sweep</code> from synthetic prospects: the same prospects at every threshold, "
                + "so the differences come from the threshold alone. Intervals are 95% Wilson score intervals.")
    }

    private mutating func header() {
        let scores = sweep.rows.map { Condition.number($0.threshold) }
        out += HTMLPage.header(kicker: "Nurture hand-off threshold sweep", heading: sweep.sequence, setup: [
            ("Prospects", Figures.count(sweep.prospects)), ("Days", Figures.count(sweep.days)), ("Seed", String(sweep.seed)),
            ("Sales", HTMLPage.salesTeam(reps: sweep.reps, perRep: sweep.capacityPerRep)),
            ("Scores", scores.count > 1 ? "\(scores[0]) to \(scores[scores.count - 1]) (\(scores.count) runs)" : scores.first ?? "none"),
        ])
    }

    private mutating func summary() {
        var sentences: [String] = []
        if let first = sweep.rows.first, let last = sweep.rows.last, sweep.rows.count > 1 {
            sentences.append("From a hand-off score of <strong>\(esc(Condition.number(first.threshold)))</strong> to <strong>\(esc(Condition.number(last.threshold)))</strong>, "
                             + "sales gets \(esc(volume(first))) down to \(esc(volume(last))) of the prospects enrolled.")
        }
        if let keepsUp = sweep.lowestThresholdSalesKeepsUpFrom {
            sentences.append("Sales keeps up on every day from a score of <strong>\(esc(Condition.number(keepsUp)))</strong>.")
        } else {
            sentences.append("<strong class=\"alert\">At every score tried, some days end with hand-offs past the service level.</strong>")
        }
        if let good = sweep.lowestThreshold(withQualityAtLeast: 0.9) {
            sentences.append("At least 90% of hand-offs come from high-intent personas from a score of <strong>\(esc(Condition.number(good)))</strong>.")
        } else {
            sentences.append("At no score tried do 90% of hand-offs come from high-intent personas.")
        }
        out += HTMLPage.summary(sentences)
    }

    /// Hand-offs as bars on the left axis, their high-intent share as a line on the right axis.
    private mutating func chart() {
        let frame = ChartFrame(width: 900, height: 380, left: 68, right: 68, top: 46, bottom: 58)
        let rows = sweep.rows
        let slot = frame.plotWidth / Double(max(1, rows.count))
        let scale = NiceScale(rows.map(\.handOffs.count).max() ?? 0)
        func y(_ count: Int) -> Double { frame.bottomY - Double(count) / Double(scale.top) * frame.plotHeight }
        func yShare(_ share: Double) -> Double { frame.bottomY - max(0, min(1, share)) * frame.plotHeight }
        func cx(_ index: Int) -> Double { frame.left + (Double(index) + 0.5) * slot }

        var svg = SVGChart(id: "sweep", width: frame.width, height: frame.height,
                           title: "Hand-off volume against quality, by hand-off score",
                           description: "Bars: hand-offs at each hand-off score tried, on the same prospects; red where some business day ends with hand-offs "
                            + "past the service level. Line: the share of hand-offs from high-intent personas, with its 95% interval, on the right axis.")
        svg.axes(frame: frame, scale: scale, yLabel: "Hand-offs", xLabel: "Hand-off score")
        // The right axis: high-intent share, 0 to 100%.
        for percent in stride(from: 0, through: 100, by: 25) {
            let ty = yShare(Double(percent) / 100)
            svg.add("<text class=\"tick\" x=\"\(n(frame.rightX + 8))\" y=\"\(n(ty + 4))\" text-anchor=\"start\">\(percent)%</text>")
        }
        svg.add("<line class=\"axis\" x1=\"\(n(frame.rightX))\" y1=\"\(n(frame.top))\" x2=\"\(n(frame.rightX))\" y2=\"\(n(frame.bottomY))\"/>")
        svg.add("<text class=\"axis-label\" transform=\"translate(\(n(frame.width - 14)) \(n(frame.top + frame.plotHeight / 2))) rotate(90)\" text-anchor=\"middle\">High-intent share of hand-offs</text>")
        let barWidth = max(0.5, slot * 0.6)
        for (index, row) in rows.enumerated() {
            let score = Condition.number(row.threshold)
            svg.add("<text class=\"tick\" x=\"\(n(cx(index)))\" y=\"\(n(frame.bottomY + 18))\" text-anchor=\"middle\">\(esc(score))</text>")
            guard row.handOffs.count > 0 else { continue }
            var tip = "Score \(score): \(volume(row)) hand-offs, \(Figures.percent(row.quality.rate)) from high-intent personas"
            if row.overloadedDays > 0 { tip += ", \(Figures.count(row.overloadedDays, "day")) over sales capacity" }
            svg.add("<rect class=\"\(row.overloadedDays > 0 ? "bar over" : "bar")\" x=\"\(n(cx(index) - barWidth / 2))\" y=\"\(n(y(row.handOffs.count)))\" "
                    + "width=\"\(n(barWidth))\" height=\"\(n(frame.bottomY - y(row.handOffs.count)))\"><title>\(esc(tip))</title></rect>")
        }
        // Quality: a line through the thresholds that hand anyone off, with interval whiskers.
        let rated = rows.indices.filter { rows[$0].handOffs.count > 0 }
        if !rated.isEmpty {
            let d = rated.enumerated().map { "\($0.offset == 0 ? "M" : "L")\(n(cx($0.element))) \(n(yShare(rows[$0.element].quality.rate)))" }.joined()
            svg.add("<path class=\"quality\" d=\"\(d)\"/>")
            for index in rated {
                let quality = rows[index].quality, x = cx(index)
                svg.add("<path class=\"whisker\" d=\"M\(n(x)) \(n(yShare(quality.low)))V\(n(yShare(quality.high)))M\(n(x - 4)) \(n(yShare(quality.low)))H\(n(x + 4))M\(n(x - 4)) \(n(yShare(quality.high)))H\(n(x + 4))\"/>")
                svg.add("<circle class=\"quality-point\" cx=\"\(n(x))\" cy=\"\(n(yShare(quality.rate)))\" r=\"4\"><title>\(esc("Score \(Condition.number(rows[index].threshold)): \(Figures.percent(quality.rate)) high intent (95% interval \(quality.intervalText))"))</title></circle>")
            }
        }
        svg.legend(x: frame.left, y: 20, items: [
            .swatch("bar", "Hand-offs"),
            .swatch("bar over", "Hand-offs, some days over capacity"),
            .line("quality", "High-intent share (right axis)"),
        ])
        out.append("<section id=\"trade-off\">")
        out.append("<h2>Volume against quality</h2>")
        out.append("<p class=\"note\">A higher score sends sales fewer, better leads, later. The same prospects run at every score.</p>")
        out.append(svg.markup)
        out.append("</section>")
    }

    private mutating func table() {
        out.append("<section id=\"thresholds\">")
        out.append("<h2>By hand-off score</h2>")
        out.append("<p class=\"note\">Days over: business days on which sales could not follow up every hand-off within the service level.</p>")
        out.append("<div class=\"table-wrap\">")
        out.append("<table>")
        out.append("<thead><tr><th scope=\"col\" class=\"num\">Score</th><th scope=\"col\" class=\"num\">Hand-offs</th><th scope=\"col\" class=\"num\">Rate</th>"
                   + "<th scope=\"col\">95% interval</th><th scope=\"col\" class=\"num\">High intent</th><th scope=\"col\">95% interval</th>"
                   + "<th scope=\"col\" class=\"num\">Median time</th><th scope=\"col\" class=\"num\">Peak day</th><th scope=\"col\" class=\"num\">Days over</th></tr></thead>")
        out.append("<tbody>")
        for row in sweep.rows {
            let rated = row.handOffs.count > 0
            out.append("<tr><th scope=\"row\" class=\"num\">\(esc(Condition.number(row.threshold)))</th>"
                       + "<td class=\"num\">\(esc(Figures.count(row.handOffs.count)))</td><td class=\"num\">\(esc(Figures.percent(row.handOffs.rate)))</td>"
                       + "<td class=\"num\">\(esc(row.handOffs.intervalText))</td>"
                       + "<td class=\"num\">\(rated ? esc(Figures.percent(row.quality.rate)) : "\u{2013}")</td><td class=\"num\">\(rated ? esc(row.quality.intervalText) : "")</td>"
                       + "<td class=\"num\">\(esc(row.hoursToHandOffP50.map { Figures.duration($0) } ?? "\u{2013}"))</td>"
                       + "<td class=\"num\">\(esc(Figures.count(row.peakDay)))</td>"
                       + "<td class=\"num\">\(row.overloadedDays > 0 ? "<strong class=\"alert\">\(row.overloadedDays)</strong>" : "0")</td></tr>")
        }
        out.append("</tbody>")
        out.append("</table>")
        out.append("</div>")
        out.append("</section>")
    }

    // MARK: - Formatting

    private func volume(_ row: ThresholdSweep.Row) -> String { "\(Figures.count(row.handOffs.count)) (\(Figures.percent(row.handOffs.rate)))" }


    private func esc(_ text: String) -> String { HTMLEscaping.pageText(text) }

    private func n(_ value: Double) -> String { SVGChart.number(value) }
}
