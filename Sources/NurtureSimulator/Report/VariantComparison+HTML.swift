import Foundation
import NurtureBasics

extension VariantComparison {
    /// The comparison as one self-contained HTML page, in the same style as the dry-run report:
    /// each rate's difference (B minus A) with its 95% interval on one chart, and the table behind
    /// it. `nameA` and `nameB` are how the user named the variants.
    public func html(nameA: String, nameB: String) -> String {
        var page = VariantComparisonPage(comparison: self, nameA: nameA, nameB: nameB)
        return page.render()
    }
}

/// Builds the comparison's page, section by section.
private struct VariantComparisonPage {
    let comparison: VariantComparison
    let nameA: String
    let nameB: String
    private var out: [String] = []

    init(comparison: VariantComparison, nameA: String, nameB: String) {
        self.comparison = comparison
        self.nameA = nameA
        self.nameB = nameB
    }


    mutating func render() -> String {
        let setup = comparison.a.setup
        header()
        summary()
        chart()
        table()
        return HTMLPage.render(
            title: "Comparison of \(nameA) and \(nameB) on the same \(Figures.count(setup.prospects)) prospects",
            sections: out,
            footer: "Produced by <code>nurture compare</code> from synthetic prospects. Both variants meet the same prospects with the same "
                + "random draws, so each difference is measured prospect by prospect. Intervals are 95% intervals of the paired difference.")
    }

    private mutating func header() {
        let setup = comparison.a.setup
        out += HTMLPage.header(kicker: "Nurture variant comparison", heading: "A/B: \(setup.sequence)", setup: [
            ("A", nameA), ("B", nameB), ("Prospects", Figures.count(setup.prospects)), ("Days", Figures.count(setup.days)),
            ("Seed", String(setup.seed)),
        ])
    }

    private mutating func summary() {
        let clear = comparison.differences.filter(\.isClear)
        var sentences: [String] = []
        if clear.isEmpty {
            sentences.append("On these prospects, B makes <strong>no clear difference</strong> to any measure: every 95% interval includes zero.")
        } else {
            let listed = clear.map { "\(esc($0.name)) \(esc($0.formattedDelta($0.difference))) (\(esc($0.formattedDelta($0.low))) to \(esc($0.formattedDelta($0.high))))" }
            sentences.append("B differs clearly from A on <strong>\(clear.count) of \(comparison.differences.count)</strong> measures: \(listed.joined(separator: "; ")).")
        }
        sentences.append(timingSentence)
        for (label, report) in [("A", comparison.a), ("B", comparison.b)] {
            let median = report.hoursToHandOffP50.map(Figures.duration) ?? "none"
            let over = report.overloadedDays.count
            sentences.append("\(label): median time to hand-off <strong>\(esc(median))</strong> over all its hand-offs, \(Figures.count(over, "business day")) over sales capacity.")
        }
        out += HTMLPage.summary(sentences)
    }

    /// Which variant hands off sooner, prospect by prospect.
    private var timingSentence: String {
        let timing = comparison.handOffTiming, days = timing.days
        guard timing.both > 0 else { return "No prospect is handed off in both variants, so their timing cannot be paired." }
        let moved = "B hands off \(Figures.count(timing.sooner)) sooner, \(Figures.count(timing.later)) later and \(Figures.count(timing.same)) in the same minute"
        let mean = "on average B \u{2212} A is <strong>\(esc(days.formattedDelta(days.difference))) days</strong> (\(esc(days.formattedDelta(days.low))) to \(esc(days.formattedDelta(days.high))))"
        let verdict = days.isClear ? "<strong>\(esc(days.verdict))</strong>" : "no clear difference"
        return "Of the \(Figures.count(timing.both)) prospects handed off in both, \(moved); \(mean): \(verdict)."
    }

    /// Each rate's difference as a dot with its interval, around a zero line.
    private mutating func chart() {
        let rows = comparison.differences.filter(\.isRate)
        let rowHeight = 34.0, top = 12.0, left = 150.0, plotWidth = 440.0, width = 900.0
        let plotBottom = top + Double(rows.count) * rowHeight
        let height = plotBottom + 52
        // Symmetric around zero, in percentage points, to a round bound.
        let reach = rows.map { max(abs($0.low), abs($0.high)) * 100 }.max() ?? 0
        let bound = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100].first { $0 >= reach } ?? 100
        func x(_ points: Double) -> Double { left + (max(-bound, min(bound, points)) + bound) / (2 * bound) * plotWidth }

        var svg = SVGChart(id: "differences", width: width, height: height,
                           title: "B minus A for each rate, with 95% intervals",
                           description: "One row per rate: the dot is B's rate minus A's in percentage points, the whisker its 95% interval. "
                            + "Rows whose interval leaves zero are drawn in colour; the others in grey.")
        for tick in [-bound, -bound / 2, 0, bound / 2, bound] {
            let tx = x(tick)
            svg.add("<line class=\"\(tick == 0 ? "axis" : "grid")\" x1=\"\(n(tx))\" y1=\"\(n(top - 4))\" x2=\"\(n(tx))\" y2=\"\(n(plotBottom))\"/>")
            svg.add("<text class=\"tick\" x=\"\(n(tx))\" y=\"\(n(plotBottom + 16))\" text-anchor=\"middle\">\(esc(String(format: "%+g", tick)))</text>")
        }
        svg.add("<text class=\"axis-label\" x=\"\(n(left + plotWidth / 2))\" y=\"\(n(plotBottom + 40))\" text-anchor=\"middle\">B minus A, percentage points</text>")
        for (index, row) in rows.enumerated() {
            let mid = top + (Double(index) + 0.5) * rowHeight
            let kind = row.isClear ? "difference clear" : "difference"
            let lo = x(row.low * 100), hi = x(row.high * 100)
            svg.add("<g>")
            svg.add("<title>\(esc("\(row.name): A \(row.formatted(row.a)), B \(row.formatted(row.b)), \(row.verdict)"))</title>")
            svg.add("<text class=\"cat\" x=\"\(n(left - 10))\" y=\"\(n(mid + 4.5))\" text-anchor=\"end\">\(esc(row.name))</text>")
            svg.add("<path class=\"whisker \(kind)\" d=\"M\(n(lo)) \(n(mid))H\(n(hi))M\(n(lo)) \(n(mid - 6))V\(n(mid + 6))M\(n(hi)) \(n(mid - 6))V\(n(mid + 6))\"/>")
            svg.add("<circle class=\"\(kind)\" cx=\"\(n(x(row.difference * 100)))\" cy=\"\(n(mid))\" r=\"5\"/>")
            svg.add("<text class=\"value\" x=\"\(n(left + plotWidth + 14))\" y=\"\(n(mid + 4.5))\"><tspan class=\"strong\">\(esc(row.formattedDelta(row.difference)))</tspan> "
                    + "<tspan class=\"muted\">(\(esc(row.formattedDelta(row.low))) to \(esc(row.formattedDelta(row.high))))</tspan></text>")
            svg.add("</g>")
        }
        out.append("<section id=\"differences\">")
        out.append("<h2>Differences</h2>")
        out.append("<p class=\"note\">Right of zero: B's rate is higher. A whisker that crosses zero is no clear difference.</p>")
        out.append(svg.markup)
        out.append("</section>")
    }

    private mutating func table() {
        out.append("<section id=\"measures\">")
        out.append("<h2>Measures</h2>")
        let timing = comparison.handOffTiming
        let rows = comparison.differences + (timing.both > 0 ? [timing.days] : [])
        let paired = timing.both > 0
            ? " Days to hand-off are paired over the \(Figures.count(timing.both)) prospects handed off in both (\(Figures.count(timing.onlyA)) only in A, \(Figures.count(timing.onlyB)) only in B)."
            : ""
        out.append("<p class=\"note\">Rates are per enrolled prospect.\(paired)</p>")
        out.append("<div class=\"table-wrap\">")
        out.append("<table>")
        out.append("<thead><tr><th scope=\"col\">Measure</th><th scope=\"col\" class=\"num\">A</th><th scope=\"col\" class=\"num\">B</th>"
                   + "<th scope=\"col\" class=\"num\">B \u{2212} A</th><th scope=\"col\">95% interval</th><th scope=\"col\">Verdict</th></tr></thead>")
        out.append("<tbody>")
        for row in rows {
            out.append("<tr><th scope=\"row\">\(esc(row.name))</th><td class=\"num\">\(esc(row.formatted(row.a)))</td><td class=\"num\">\(esc(row.formatted(row.b)))</td>"
                       + "<td class=\"num\">\(esc(row.formattedDelta(row.difference)))</td>"
                       + "<td class=\"num\">\(esc(row.formattedDelta(row.low))) to \(esc(row.formattedDelta(row.high)))</td>"
                       + "<td>\(row.isClear ? "<strong>\(esc(row.verdict))</strong>" : esc(row.verdict))</td></tr>")
        }
        out.append("</tbody>")
        out.append("</table>")
        out.append("</div>")
        out.append("</section>")
    }

    private func esc(_ text: String) -> String { HTMLEscaping.pageText(text) }

    private func n(_ value: Double) -> String { SVGChart.number(value) }
}
