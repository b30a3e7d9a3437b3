import Foundation
import NurtureBasics

extension VariantComparison {
    /// The comparison for a terminal: each measure in A and B and the difference with its interval.
    public func text(nameA: String, nameB: String) -> String {
        var out = [
            "Comparison on the same \(Figures.count(a.setup.prospects, "prospect")) (seed \(a.setup.seed), \(Figures.count(a.setup.days, "day")))",
            "  A: \(nameA) (\(a.setup.sequence))",
            "  B: \(nameB) (\(b.setup.sequence))",
            "",
            Figures.pad("measure", 22) + Figures.pad("A", 10, right: true) + Figures.pad("B", 10, right: true)
                + Figures.pad("B - A", 12, right: true) + "   95% interval",
        ]
        let timing = handOffTiming
        for row in differences + (timing.both > 0 ? [timing.days] : []) {
            out.append(Figures.pad(row.name, 22) + Figures.pad(row.formatted(row.a), 10, right: true) + Figures.pad(row.formatted(row.b), 10, right: true)
                       + Figures.pad(row.formattedDelta(row.difference), 12, right: true)
                       + "   \(row.formattedDelta(row.low)) to \(row.formattedDelta(row.high))  \(row.verdict)")
        }
        out.append("")
        out.append(timing.text)
        out.append("")
        for (label, report) in [("A", a), ("B", b)] {
            let median = report.hoursToHandOffP50.map(Figures.duration) ?? "-"
            out.append("\(label): median time to hand-off \(median) over all its hand-offs; \(report.overloadedDays.count) business days over sales capacity")
        }
        return out.joined(separator: "\n") + "\n"
    }
}

extension VariantComparison.Difference {
    /// Rates are compared in percentage points; emails per prospect as a plain number.
    var isRate: Bool { measure.hasSuffix("_rate") }

    /// The measure as people say it: "clicked rate".
    var name: String {
        measure == VariantComparison.HandOffTiming.measure ? "days to hand-off" : measure.replacingOccurrences(of: "_", with: " ")
    }

    func formatted(_ value: Double) -> String { isRate ? Figures.percent(value) : String(format: "%.2f", value) }

    func formattedDelta(_ value: Double) -> String {
        isRate ? String(format: "%+.2f pts", value * 100) : String(format: "%+.2f", value)
    }

    var verdict: String {
        guard isClear else { return "no clear difference" }
        if measure == VariantComparison.HandOffTiming.measure { return difference > 0 ? "B later" : "B sooner" }
        return difference > 0 ? "B higher" : "B lower"
    }
}

extension VariantComparison.HandOffTiming {
    /// Over which prospects the days to hand-off were paired, and which way each moved.
    var text: String {
        let only = "\(Figures.count(onlyA)) only in A, \(Figures.count(onlyB)) only in B"
        guard both > 0 else { return "No prospect is handed off in both variants (\(only))." }
        return "Days to hand-off: paired over the \(Figures.count(both)) prospects handed off in both (\(only));\n"
            + "B hands off \(Figures.count(sooner)) of them sooner, \(Figures.count(later)) later "
            + "and \(Figures.count(same)) in the same minute."
    }
}

