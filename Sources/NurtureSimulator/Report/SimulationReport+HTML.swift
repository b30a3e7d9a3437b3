import Foundation
import NurtureBasics
import NurturePersonas

extension SimulationReport {
    /// The report as one self-contained HTML5 page (inline style, inline SVG charts, no scripts or
    /// external resources) that a marketer can open in a browser and forward as an attachment.
    ///
    /// The markup is also well-formed XML (every element closed, attributes quoted, only numeric
    /// character references), and it is deterministic: the same report gives the same bytes.
    public var html: String {
        var page = SimulationReportPage(report: self)
        return page.render()
    }
}

/// Builds the HTML page, section by section.
private struct SimulationReportPage {
    let report: SimulationReport
    private var out: [String] = []

    init(report: SimulationReport) { self.report = report }


    mutating func render() -> String {
        let setup = report.setup
        let title = "Dry run of \(setup.sequence): \(Figures.count(setup.prospects, "prospect")) over \(Figures.count(setup.days, "day")), seed \(setup.seed), starting \(setup.start)"
        header()
        summary()
        funnelChart()
        dailyChart()
        if setup.arrivals != nil { arrivalsChart() }
        timeToHandOffChart()
        stepTable()
        personaTable()
        repTable()
        if let sequences = report.sequences { out += SequenceBreakdown.htmlSection(sequences) }
        if let forecast = report.slaForecast { out += forecast.htmlSection }
        return HTMLPage.render(
            title: title, sections: out,
            footer: "Produced by <code>nurture simulate</code> from synthetic prospects: the same sequence, population and seed give the same report. "
                + "Intervals are 95% Wilson score intervals.")
    }

    // MARK: - Sections

    private mutating func header() {
        let setup = report.setup
        out += HTMLPage.header(kicker: "Nurture dry run", heading: setup.sequence, setup: [
            ("Prospects", Figures.count(setup.prospects)), ("Days", Figures.count(setup.days)), ("Seed", String(setup.seed)),
            ("Start", setup.start), ("Sales", HTMLPage.salesTeam(reps: setup.reps, perRep: setup.capacityPerRep)),
        ] + (setup.arrivals.map { [(term: "Arrivals", value: $0)] } ?? []))
    }

    private mutating func summary() {
        let setup = report.setup
        let enrolled = report[.enrolled]
        let handedOff = report[.handedOff]
        let unsubscribed = report[.unsubscribed]
        var sentences: [String] = []
        sentences.append(
            "Of the <strong>\(esc(Figures.count(enrolled.count)))</strong> prospects enrolled, <strong>\(esc(Figures.percent(handedOff.rate)))</strong> "
            + "were handed off to sales (\(esc(Figures.count(handedOff.count))); 95% interval \(esc(handedOff.intervalText))).")
        if let p50 = report.hoursToHandOffP50, let p90 = report.hoursToHandOffP90 {
            sentences.append("The median hand-off came <strong>\(esc(Figures.duration(p50)))</strong> after enrollment, and 90% came within <strong>\(esc(Figures.duration(p90)))</strong>.")
        } else {
            sentences.append("No prospect was handed off in \(esc(Figures.count(setup.days))) days.")
        }
        sentences.append("Unsubscribe risk: <strong>\(esc(Figures.percent(unsubscribed.rate)))</strong> of enrolled prospects (\(esc(unsubscribed.intervalText))).")
        let daily = setup.reps * setup.capacityPerRep
        let over = report.overloadedDays.count
        if over == 0 {
            sentences.append("Sales (\(esc(Figures.count(daily))) follow-ups per business day) keeps up on every day.")
        } else {
            let first = report.days.first { $0.day == report.overloadedDays[0] }
            let when = first.map { " (first on \(dayName($0)))" } ?? ""
            sentences.append("Hand-offs exceed sales capacity (\(esc(Figures.count(daily))) follow-ups per business day) on "
                             + "<strong class=\"alert\">\(esc(Figures.count(over, "business day")))</strong>\(esc(when)): "
                             + "those hand-offs would miss the service level.")
        }
        sentences.append("At the end of the run, \(esc(Figures.count(report.leadsInFlight, "lead"))) \(report.leadsInFlight == 1 ? "is" : "are") still in the sequence "
                         + "and \(esc(Figures.count(report.handOffsWaitingAtEnd, "hand-off"))) \(report.handOffsWaitingAtEnd == 1 ? "waits" : "wait") for sales.")
        out += HTMLPage.summary(sentences)
    }

    private mutating func funnelChart() {
        let stages: [SimulationStats.Stage] = [.enrolled, .delivered, .opened, .clicked, .replied, .handedOff]
        let losses: [SimulationStats.Stage] = [.unsubscribed, .bounced]
        let width = 900.0, rowHeight = 34.0, barHeight = 20.0, gap = 26.0
        let left = 130.0, barWidth = 480.0, top = 12.0
        let rows = Double(stages.count + losses.count)
        let plotBottom = top + rows * rowHeight + gap
        let height = plotBottom + 52
        func x(_ rate: Double) -> Double { left + max(0, min(1, rate)) * barWidth }

        var svg = SVGChart(id: "funnel", width: width, height: height,
                      title: "Funnel: share of prospects reaching each stage, with 95% intervals",
                      description: "Horizontal bars for enrolled, delivered, opened, clicked, replied and handed off, then unsubscribed and bounced. "
                        + "Enrolled is a share of all prospects; every other stage is a share of enrolled prospects. The black whisker on each bar is the 95% interval.")
        // Grid and x axis.
        for tick in stride(from: 0, through: 100, by: 25) {
            let tx = x(Double(tick) / 100)
            svg.add("<line class=\"grid\" x1=\"\(n(tx))\" y1=\"\(n(top - 4))\" x2=\"\(n(tx))\" y2=\"\(n(plotBottom))\"/>")
            svg.add("<text class=\"tick\" x=\"\(n(tx))\" y=\"\(n(plotBottom + 16))\" text-anchor=\"middle\">\(tick)%</text>")
        }
        svg.add("<line class=\"axis\" x1=\"\(n(left))\" y1=\"\(n(plotBottom))\" x2=\"\(n(left + barWidth))\" y2=\"\(n(plotBottom))\"/>")
        svg.add("<line class=\"axis\" x1=\"\(n(left))\" y1=\"\(n(top - 4))\" x2=\"\(n(left))\" y2=\"\(n(plotBottom))\"/>")
        svg.add("<text class=\"axis-label\" x=\"\(n(left + barWidth / 2))\" y=\"\(n(plotBottom + 40))\" text-anchor=\"middle\">Share of enrolled prospects (enrolled: share of all prospects)</text>")
        svg.add("<text class=\"axis-label\" transform=\"translate(16 \(n((top + plotBottom) / 2))) rotate(-90)\" text-anchor=\"middle\">Stage</text>")
        svg.add("<text class=\"col-label\" x=\"\(n(left + barWidth + 14))\" y=\"\(n(top - 1))\">count \u{00B7} rate \u{00B7} 95% interval</text>")

        var y = top
        for (index, stage) in (stages + losses).enumerated() {
            if index == stages.count {
                y += gap
                svg.add("<line class=\"separator\" x1=\"24\" y1=\"\(n(y - gap / 2))\" x2=\"\(n(width - 12))\" y2=\"\(n(y - gap / 2))\"/>")
            }
            let share = report[stage]
            let mid = y + rowHeight / 2
            let kind = stage == .handedOff ? "bar goal" : losses.contains(stage) ? "bar loss" : "bar"
            let label = stage.label
            let tip = "\(label): \(Figures.count(share.count)) of \(Figures.count(share.total)) (\(Figures.percent(share.rate)); 95% interval \(share.intervalText))"
            svg.add("<g>")
            svg.add("<title>\(esc(tip))</title>")
            svg.add("<text class=\"cat\" x=\"\(n(left - 10))\" y=\"\(n(mid + 4.5))\" text-anchor=\"end\">\(esc(label))</text>")
            svg.add("<rect class=\"\(kind)\" x=\"\(n(left))\" y=\"\(n(mid - barHeight / 2))\" width=\"\(n(x(share.rate) - left))\" height=\"\(n(barHeight))\"/>")
            let lo = x(share.low), hi = x(share.high)
            svg.add("<path class=\"whisker\" d=\"M\(n(lo)) \(n(mid))H\(n(hi))M\(n(lo)) \(n(mid - 6))V\(n(mid + 6))M\(n(hi)) \(n(mid - 6))V\(n(mid + 6))\"/>")
            svg.add("<text class=\"value\" x=\"\(n(left + barWidth + 14))\" y=\"\(n(mid + 4.5))\"><tspan class=\"strong\">\(esc(Figures.count(share.count)))</tspan> \u{00B7} \(esc(Figures.percent(share.rate))) <tspan class=\"muted\">(\(esc(share.intervalText)))</tspan></text>")
            svg.add("</g>")
            y += rowHeight
        }
        out.append("<section id=\"funnel\">")
        out.append("<h2>Funnel</h2>")
        out.append("<p class=\"note\">How many prospects did each thing at least once. Opens include opens by privacy proxies, which have no human behind them.</p>")
        out.append(svg.markup)
        out.append("</section>")
    }

    private mutating func dailyChart() {
        let days = report.days
        let setup = report.setup
        let frame = ChartFrame(width: 900, height: 380, left: 68, right: 16, top: 46, bottom: 58)
        let count = max(1, days.count)
        let slot = frame.plotWidth / Double(count)
        let peak = max(days.map(\.handOffs).max() ?? 0, days.map(\.capacity).max() ?? 0)
        let scale = NiceScale(peak)
        func y(_ value: Int) -> Double { frame.bottomY - Double(value) / Double(scale.top) * frame.plotHeight }

        var svg = SVGChart(id: "daily", width: frame.width, height: frame.height,
                      title: "Hand-offs per day against sales capacity",
                      description: "Bars: hand-offs arriving each day of the run, on sales' clock. Step line: what sales can follow up that day "
                        + "(\(setup.reps) reps \u{00D7} \(setup.capacityPerRep) on business days, 0 otherwise). Red bars: business days that end with hand-offs still waiting, past the service level.")
        svg.axes(frame: frame, scale: scale, yLabel: "Hand-offs per day", xLabel: "Day of the run (sales\u{2019} time zone)")
        dayTicks(on: &svg, frame: frame, slot: slot, days: days)
        // Days that end with hand-offs still waiting, even those without new arrivals: shaded.
        for day in days where day.carriedOver > 0 && day.capacity > 0 {
            let tip = "\(dayName(day)): over capacity, \(Figures.count(day.carriedOver, "hand-off")) still waiting at the end of the day"
            svg.add("<rect class=\"over-band\" x=\"\(n(frame.left + Double(day.day) * slot))\" y=\"\(n(frame.top))\" width=\"\(n(slot))\" height=\"\(n(frame.plotHeight))\"><title>\(esc(tip))</title></rect>")
        }
        // Bars.
        let barWidth = max(0.5, slot * (slot >= 4 ? 0.72 : 0.9))
        for day in days {
            guard day.handOffs > 0 else { continue }
            let over = day.carriedOver > 0 && day.capacity > 0
            let x = frame.left + Double(day.day) * slot + (slot - barWidth) / 2
            var tip = "\(dayName(day)): \(Figures.count(day.handOffs, "hand-off")), capacity \(Figures.count(day.capacity))"
            if day.carriedOver > 0 { tip += ", \(Figures.count(day.carriedOver)) still waiting at the end of the day" }
            svg.add("<rect class=\"\(over ? "bar over" : "bar")\" x=\"\(n(x))\" y=\"\(n(y(day.handOffs)))\" width=\"\(n(barWidth))\" height=\"\(n(frame.bottomY - y(day.handOffs)))\"><title>\(esc(tip))</title></rect>")
        }
        // Capacity as a step line, day by day.
        if !days.isEmpty {
            var d = "M\(n(frame.left)) \(n(y(days[0].capacity)))"
            for (index, day) in days.enumerated() {
                if index > 0 { d += "V\(n(y(day.capacity)))" }
                d += "H\(n(frame.left + Double(index + 1) * slot))"
            }
            svg.add("<path class=\"capacity\" d=\"\(d)\"/>")
        }
        svg.legend(x: frame.left, y: 20, items: [
            .swatch("bar", "Hand-offs"),
            .swatch("bar over", "Hand-offs, over capacity"),
            .swatch("over-band", "Day ends with a backlog"),
            .line("capacity", "Sales capacity (0 on non-business days)"),
        ])
        out.append("<section id=\"daily\">")
        out.append("<h2>Hand-offs against sales capacity</h2>")
        let over = report.overloadedDays.count
        out.append("<p class=\"note\">\(esc(Figures.count(setup.reps))) reps \u{00D7} \(esc(Figures.count(setup.capacityPerRep))) = \(esc(Figures.count(setup.reps * setup.capacityPerRep))) follow-ups per business day. "
                   + (over == 0 ? "Sales keeps up on every day." : "Over capacity on \(esc(Figures.count(over, "business day"))), shaded in red: hand-offs still waiting at the end of those days miss the service level.") + "</p>")
        out.append(svg.markup)
        out.append("</section>")
    }

    /// The day charts' x ticks: dates under the days' slots, every few days as the run's length allows.
    private func dayTicks(on svg: inout SVGChart, frame: ChartFrame, slot: Double, days: [SimulationReport.Day]) {
        let step = tickStep(max(1, days.count), candidates: [1, 2, 7, 14, 28, 56, 91, 182, 364, 728])
        for index in stride(from: 0, to: days.count, by: step) {
            let cx = frame.left + (Double(index) + 0.5) * slot
            svg.add("<line class=\"tick-mark\" x1=\"\(n(cx))\" y1=\"\(n(frame.bottomY))\" x2=\"\(n(cx))\" y2=\"\(n(frame.bottomY + 5))\"/>")
            svg.add("<text class=\"tick\" x=\"\(n(cx))\" y=\"\(n(frame.bottomY + 18))\" text-anchor=\"middle\">\(esc(shortDate(days[index].date)))</text>")
        }
    }

    /// Prospects entering the sequence each day, when they were spread over the run: the load the
    /// hand-off chart above follows, a few days later.
    private mutating func arrivalsChart() {
        let days = report.days
        let frame = ChartFrame(width: 900, height: 260, left: 68, right: 16, top: 20, bottom: 58)
        let count = max(1, days.count)
        let slot = frame.plotWidth / Double(count)
        let scale = NiceScale(days.map(\.arrivals).max() ?? 0)
        func y(_ value: Int) -> Double { frame.bottomY - Double(value) / Double(scale.top) * frame.plotHeight }

        var svg = SVGChart(id: "arrivals", width: frame.width, height: frame.height,
                           title: "Arrivals per day",
                           description: "Bars: prospects entering the sequence each day of the run, on sales' clock (\(report.setup.arrivals ?? "")).")
        svg.axes(frame: frame, scale: scale, yLabel: "Arrivals per day", xLabel: "Day of the run (sales\u{2019} time zone)")
        dayTicks(on: &svg, frame: frame, slot: slot, days: days)
        let barWidth = max(0.5, slot * (slot >= 4 ? 0.72 : 0.9))
        for day in days where day.arrivals > 0 {
            let x = frame.left + Double(day.day) * slot + (slot - barWidth) / 2
            let tip = "\(dayName(day)): \(Figures.count(day.arrivals, "arrival"))"
            svg.add("<rect class=\"bar\" x=\"\(n(x))\" y=\"\(n(y(day.arrivals)))\" width=\"\(n(barWidth))\" height=\"\(n(frame.bottomY - y(day.arrivals)))\"><title>\(esc(tip))</title></rect>")
        }
        out.append("<section id=\"arrivals\">")
        out.append("<h2>Arrivals per day</h2>")
        out.append("<p class=\"note\">\(esc(Figures.count(report.setup.prospects, "prospect"))) arrived over the run (\(esc(report.setup.arrivals ?? ""))), "
                   + "on the lifecycle\u{2019}s business clock. \(esc(Figures.count(report.leadsInFlight, "lead"))) \(report.leadsInFlight == 1 ? "was" : "were") still in the sequence at the end.</p>")
        out.append(svg.markup)
        out.append("</section>")
    }

    private mutating func timeToHandOffChart() {
        let setup = report.setup
        let buckets = max(1, setup.days)
        var perDay = [Int](repeating: 0, count: buckets)
        for (hour, count) in report.hoursToHandOff.enumerated() where count > 0 {
            perDay[min(hour / 24, buckets - 1)] += count
        }
        // The band above the plot holds the median's and the 90th percentile's labels, one row each.
        let frame = ChartFrame(width: 900, height: 368, left: 68, right: 16, top: 58, bottom: 58)
        let slot = frame.plotWidth / Double(buckets)
        let scale = NiceScale(perDay.max() ?? 0)
        func y(_ value: Int) -> Double { frame.bottomY - Double(value) / Double(scale.top) * frame.plotHeight }

        var svg = SVGChart(id: "time-to-hand-off", width: frame.width, height: frame.height,
                      title: "Time to hand-off: hand-offs by whole days from enrollment",
                      description: "Histogram of hand-offs by the number of days between enrollment and hand-off, with the median and the 90th percentile marked.")
        svg.axes(frame: frame, scale: scale, yLabel: "Hand-offs", xLabel: "Days from enrollment to hand-off")
        let step = tickStep(buckets, candidates: [1, 2, 7, 14, 28, 56, 91, 182, 364, 728])
        for edge in stride(from: 0, through: buckets, by: step) {
            let tx = frame.left + Double(edge) * slot
            svg.add("<line class=\"tick-mark\" x1=\"\(n(tx))\" y1=\"\(n(frame.bottomY))\" x2=\"\(n(tx))\" y2=\"\(n(frame.bottomY + 5))\"/>")
            svg.add("<text class=\"tick\" x=\"\(n(tx))\" y=\"\(n(frame.bottomY + 18))\" text-anchor=\"middle\">\(edge)</text>")
        }
        let barWidth = max(0.5, slot - (slot >= 4 ? 2 : 0.2))
        for (day, count) in perDay.enumerated() where count > 0 {
            let x = frame.left + Double(day) * slot + (slot - barWidth) / 2
            let tip = "\(day)\u{2013}\(day + 1) days: \(Figures.count(count, "hand-off"))"
            svg.add("<rect class=\"bar\" x=\"\(n(x))\" y=\"\(n(y(count)))\" width=\"\(n(barWidth))\" height=\"\(n(frame.bottomY - y(count)))\"><title>\(esc(tip))</title></rect>")
        }
        if let p50 = report.hoursToHandOffP50, let p90 = report.hoursToHandOffP90 {
            let markers = [(p50, "median \(Figures.duration(p50))", 22.0, true), (p90, "90% within \(Figures.duration(p90))", 42.0, false)]
            for (hours, label, row, prefersLeft) in markers {
                let mx = frame.left + min(Double(buckets), hours / 24) * slot
                let place = MarkerLabel(line: mx, width: SVGChart.boldTextWidth(label), prefersLeft: prefersLeft, chartWidth: frame.width)
                svg.add("<line class=\"marker\" x1=\"\(n(mx))\" y1=\"\(n(row - 12))\" x2=\"\(n(mx))\" y2=\"\(n(frame.bottomY))\"/>")
                svg.add("<text class=\"marker-label\" x=\"\(n(place.x))\" y=\"\(n(row))\" text-anchor=\"\(place.anchor)\">\(esc(label))</text>")
            }
        } else {
            svg.add("<text class=\"empty\" x=\"\(n(frame.left + frame.plotWidth / 2))\" y=\"\(n(frame.top + frame.plotHeight / 2))\" text-anchor=\"middle\">No hand-offs in \(esc(Figures.count(setup.days))) days</text>")
        }
        out.append("<section id=\"time-to-hand-off\">")
        out.append("<h2>Time to hand-off</h2>")
        if let p50 = report.hoursToHandOffP50, let p90 = report.hoursToHandOffP90 {
            out.append("<p class=\"note\">Median \(esc(Figures.duration(p50))), 90% within \(esc(Figures.duration(p90))), over \(esc(Figures.count(report[.handedOff].count))) hand-offs.</p>")
        } else {
            out.append("<p class=\"note\">No hand-offs in \(esc(Figures.count(setup.days))) days.</p>")
        }
        out.append(svg.markup)
        out.append("</section>")
    }

    private mutating func stepTable() {
        out.append("<section id=\"steps\">")
        out.append("<h2>Steps</h2>")
        out.append("<p class=\"note\">\(esc(Figures.count(report.emails))) emails sent, \(esc(String(format: "%.2f", report.emailsPerProspectMean))) per prospect; "
                   + "\(esc(Figures.count(report.opens))) opens (\(esc(Figures.count(report.machineOpens))) by privacy proxies, no human behind them); \(esc(Figures.count(report.clicks))) clicks. "
                   + "Rates are per email sent; exits are enrollments that ended with this as the last email received.</p>")
        out.append("<div class=\"table-wrap\">")
        out.append("<table>")
        out.append("<thead><tr><th scope=\"col\">Step</th><th scope=\"col\">Kind</th><th scope=\"col\" class=\"num\">Sent</th><th scope=\"col\" class=\"num\">Opened</th>"
                   + "<th scope=\"col\" class=\"num\">Open rate</th><th scope=\"col\" class=\"num\">Clicked</th><th scope=\"col\" class=\"num\">Click rate</th>"
                   + "<th scope=\"col\" class=\"num\">Exits</th></tr></thead>")
        out.append("<tbody>")
        let shown = report.steps.filter { $0.kind == "email" || $0.exits > 0 }
        for step in shown {
            out.append("<tr><th scope=\"row\"><code>\(esc(step.id))</code></th><td>\(esc(step.kind.replacingOccurrences(of: "_", with: " ")))</td>"
                       + "<td class=\"num\">\(esc(Figures.count(step.sent)))</td><td class=\"num\">\(esc(Figures.count(step.opened)))</td>"
                       + "<td class=\"num\">\(esc(ratio(step.opened, step.sent)))</td><td class=\"num\">\(esc(Figures.count(step.clicked)))</td>"
                       + "<td class=\"num\">\(esc(ratio(step.clicked, step.sent)))</td><td class=\"num\">\(esc(Figures.count(step.exits)))</td></tr>")
        }
        if shown.isEmpty { out.append("<tr><td colspan=\"8\">No email steps.</td></tr>") }
        out.append("</tbody>")
        out.append("</table>")
        out.append("</div>")
        out.append("</section>")
    }

    private mutating func personaTable() {
        let quality = report.handOffQuality
        out.append("<section id=\"personas\">")
        out.append("<h2>Personas</h2>")
        out.append("<p class=\"note\">Hand-off quality: <strong>\(esc(Figures.percent(quality.rate)))</strong> of \(esc(Figures.count(quality.total))) hand-offs came from high-intent personas "
                   + "(\(esc(Figures.count(quality.count))); 95% interval \(esc(quality.intervalText))).</p>")
        out.append("<div class=\"table-wrap\">")
        out.append("<table>")
        out.append("<thead><tr><th scope=\"col\">Persona</th><th scope=\"col\">High intent</th><th scope=\"col\" class=\"num\">Prospects</th>"
                   + "<th scope=\"col\" class=\"num\">Hand-offs</th><th scope=\"col\" class=\"num\">Hand-off rate</th></tr></thead>")
        out.append("<tbody>")
        for persona in report.personas {
            let name = persona.name == persona.id ? "<code>\(esc(persona.id))</code>"
                : "\(esc(persona.name))<br/><code class=\"muted\">\(esc(persona.id))</code>"
            out.append("<tr><th scope=\"row\">\(name)</th><td>\(persona.highIntent ? "<span class=\"badge\">\u{2605} high intent</span>" : "")</td>"
                       + "<td class=\"num\">\(esc(Figures.count(persona.prospects)))</td><td class=\"num\">\(esc(Figures.count(persona.handOffs)))</td>"
                       + "<td class=\"num\">\(esc(ratio(persona.handOffs, persona.prospects, empty: Figures.percent(0))))</td></tr>")
        }
        out.append("</tbody>")
        out.append("</table>")
        out.append("</div>")
        out.append("</section>")
    }

    private mutating func repTable() {
        let total = report.handOffsPerRep.reduce(0, +)
        out.append("<section id=\"reps\">")
        out.append("<h2>Hand-offs per rep</h2>")
        out.append("<p class=\"note\">Each rep can follow up \(esc(Figures.count(report.setup.capacityPerRep))) hand-offs per business day within the service level.</p>")
        out.append("<div class=\"table-wrap\">")
        out.append("<table class=\"narrow\">")
        out.append("<thead><tr><th scope=\"col\">Rep</th><th scope=\"col\" class=\"num\">Hand-offs</th><th scope=\"col\" class=\"num\">Share</th></tr></thead>")
        out.append("<tbody>")
        for (index, count) in report.handOffsPerRep.enumerated() {
            out.append("<tr><th scope=\"row\">Rep \(index + 1)</th><td class=\"num\">\(esc(Figures.count(count)))</td>"
                       + "<td class=\"num\">\(esc(ratio(count, total, empty: Figures.percent(0))))</td></tr>")
        }
        out.append("</tbody>")
        out.append("<tfoot><tr><th scope=\"row\">Total</th><td class=\"num\">\(esc(Figures.count(total)))</td><td class=\"num\"></td></tr></tfoot>")
        out.append("</table>")
        out.append("</div>")
        out.append("</section>")
    }

    /// The smallest candidate step that leaves at most ten ticks.
    private func tickStep(_ count: Int, candidates: [Int]) -> Int {
        candidates.first { (count + $0 - 1) / $0 <= 10 } ?? max(1, count / 10)
    }

    // MARK: - Formatting

    private func esc(_ text: String) -> String { HTMLEscaping.pageText(text) }

    private func n(_ value: Double) -> String { SVGChart.number(value) }


    private func ratio(_ part: Int, _ whole: Int, empty: String = "\u{2013}") -> String {
        whole > 0 ? Figures.percent(Double(part) / Double(whole)) : empty
    }

    private func dayName(_ day: SimulationReport.Day) -> String {
        "\(day.weekday.prefix(1).uppercased())\(day.weekday.dropFirst()) \(day.date)"
    }

    /// "2026-01-05" -> "Jan 5".
    private func shortDate(_ date: String) -> String {
        let parts = date.split(separator: "-")
        guard parts.count == 3, let month = Int(parts[1]), (1...12).contains(month), let day = Int(parts[2]) else { return date }
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(names[month - 1]) \(day)"
    }

}
