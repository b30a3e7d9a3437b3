import Foundation
import NurtureBasics

extension ForecastReport {
    /// The report as one self-contained page (see ``HTMLPage``): the flagged days, then a table
    /// of each rep's days with the interval, the load and the capacity.
    public var html: String {
        let esc = HTMLEscaping.pageText
        var sections = HTMLPage.header(
            kicker: "Forecast of the live pipeline", heading: "Hand-offs per rep and day, against capacity",
            setup: [("From", setup.start), ("Days", "\(setup.days)"), ("Runs", "\(setup.runs)"), ("Seed", "\(setup.seed)"),
                    ("Leads running forward", Figures.count(setup.forecastLeads))])
        let summary = flagged.isEmpty
            ? "No rep is over capacity on any day in most runs."
            : "<strong class=\"alert\">\(Figures.count(flagged.count, "rep-day")) over capacity</strong> in more than half the runs."
        sections += HTMLPage.summary([summary, "Intervals are the 10th to 90th percentile over \(Figures.count(setup.runs, "run"))."])
        if !flagged.isEmpty {
            sections += ["<section id=\"flagged\">", "<h2>Days over capacity</h2>", "<div class=\"table-wrap\"><table class=\"narrow\">",
                         "<thead><tr><th>Date</th><th>Rep</th><th class=\"num\">Counted that day</th><th class=\"num\">To follow up</th><th class=\"num\">Capacity</th><th class=\"num\">Runs over</th></tr></thead>", "<tbody>"]
            sections += flagged.map { flag in
                "<tr><th class=\"nowrap\">\(esc(flag.date)) \(esc(flag.weekday))</th><td>\(esc(flag.rep))</td>"
                    + "<td class=\"num\">\(Figures.count(flag.handOffsP50))</td>"
                    + "<td class=\"num\">\(Figures.count(flag.loadP50))</td><td class=\"num\">\(Figures.count(flag.capacity))</td>"
                    + "<td class=\"num\">\(Figures.percent(flag.overCapacityChance))</td></tr>"
            }
            sections += ["</tbody>", "</table></div>", "</section>"]
        }
        for (index, rep) in reps.enumerated() {
            sections += ["<section id=\"rep-\(index + 1)\">", "<h2>\(esc(rep.rep))</h2>",
                         "<p class=\"note\">\(Self.figure(rep.expected)) hand-offs expected over \(Figures.count(setup.days, "day")).</p>",
                         "<div class=\"table-wrap\"><table>",
                         "<thead><tr><th>Date</th><th class=\"num\">Hand-offs (median)</th><th class=\"num\">10th\u{2013}90th</th>"
                            + "<th class=\"num\">Expected</th><th class=\"num\">Load</th><th class=\"num\">Capacity</th><th class=\"num\">Runs over</th></tr></thead>",
                         "<tbody>"]
            sections += rep.days.map { day in
                let counted = day.flagged ? "<strong class=\"alert\">\(day.p50)</strong>" : "\(day.p50)"
                return "<tr><th class=\"nowrap\">\(esc(day.date)) \(esc(day.weekday))</th><td class=\"num\">\(counted)</td>"
                    + "<td class=\"num\">\(day.p10)\u{2013}\(day.p90)</td><td class=\"num\">\(Self.figure(day.expected))</td>"
                    + "<td class=\"num\">\(Figures.count(day.loadP50))</td><td class=\"num\">\(Figures.count(day.capacity))</td>"
                    + "<td class=\"num\">\(Figures.percent(day.overCapacityChance))</td></tr>"
            }
            sections += ["</tbody>", "</table></div>", "</section>"]
        }
        let footer = "Each enrolled lead runs forward from its stored engine state through the real engine on a virtual clock; "
            + "the behaviour to come is drawn from personas (\(esc(setup.personas.joined(separator: ", ")))). See docs/forecast.md."
        return HTMLPage.render(title: "Forecast from \(setup.start)", sections: sections, footer: footer)
    }
}
