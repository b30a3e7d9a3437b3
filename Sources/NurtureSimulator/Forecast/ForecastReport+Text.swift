import Foundation
import NurtureBasics

extension ForecastReport {
    /// The report for a terminal: the flagged days first, then each rep's days.
    public var text: String {
        var lines = [
            "Forecast of the live pipeline from \(setup.start): \(setup.days) days, \(setup.runs) runs, seed \(setup.seed)",
            "Leads: \(Figures.count(setup.leads)) read, \(Figures.count(setup.forecastLeads)) running forward "
                + "(personas: \(setup.personas.joined(separator: ", ")))",
            "",
        ]
        if flagged.isEmpty {
            lines.append("No day over capacity: every rep keeps up in most runs.")
        } else {
            lines.append("Days over capacity (in more than half the runs):")
            for flag in flagged {
                lines.append("  \(flag.date) \(flag.weekday)  \(flag.rep): \(Figures.count(flag.handOffsP50)) counted that day "
                    + "(\(Figures.count(flag.loadP50)) to follow up with earlier days'), capacity \(Figures.count(flag.capacity)), over in \(Figures.percent(flag.overCapacityChance)) of runs")
            }
        }
        lines.append("")
        lines.append("Hand-offs counted per day (a weekend's on the next business day): median (10th-90th percentile) over the runs.")
        lines.append("A day is over capacity when its hand-offs exceed capacity; load adds what earlier days left over.")
        let header = "  " + Figures.pad("date", 11) + Figures.pad("day", 4) + Figures.pad("hand-offs", 15)
            + Figures.pad("expected", 9, right: true) + Figures.pad("load", 7, right: true)
            + Figures.pad("capacity", 9, right: true) + Figures.pad("over", 8, right: true)
        let tables = reps.map { ($0.rep, $0.expected, $0.days) }
            + teams.map { ("team \($0.team) (\($0.members.joined(separator: ", ")))", $0.expected, $0.days) }
        for (name, expected, days) in tables {
            lines.append("")
            lines.append("\(name): \(Self.figure(expected)) expected")
            lines.append(header)
            for day in days {
                lines.append("  " + Figures.pad(day.date, 11) + Figures.pad(day.weekday, 4)
                    + Figures.pad("\(day.p50) (\(day.p10)-\(day.p90))", 15)
                    + Figures.pad(Self.figure(day.expected), 9, right: true)
                    + Figures.pad(Figures.count(day.loadP50), 7, right: true)
                    + Figures.pad(Figures.count(day.capacity), 9, right: true)
                    + Figures.pad(Figures.percent(day.overCapacityChance), 8, right: true)
                    + (day.flagged ? "  over capacity" : ""))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func figure(_ value: Double) -> String { String(format: "%.2f", value) }
}
