import Foundation

extension VariantComparison {
    /// The comparison for a terminal: each measure in A and B and the difference with its interval.
    public func text(nameA: String, nameB: String) -> String {
        typealias R = SimulationReport
        var out = [
            "Comparison on the same \(R.count(a.setup.prospects)) prospects (seed \(a.setup.seed), \(a.setup.days) days)",
            "  A: \(nameA) (\(a.setup.sequence))",
            "  B: \(nameB) (\(b.setup.sequence))",
            "",
            R.pad("measure", 22) + R.pad("A", 10, right: true) + R.pad("B", 10, right: true)
                + R.pad("B - A", 12, right: true) + "   95% interval",
        ]
        for row in differences {
            let isRate = row.measure.hasSuffix("_rate")
            func value(_ x: Double) -> String { isRate ? R.percent(x) : String(format: "%.2f", x) }
            func delta(_ x: Double) -> String {
                isRate ? String(format: "%+.2f pts", x * 100) : String(format: "%+.2f", x)
            }
            let name = row.measure.replacingOccurrences(of: "_", with: " ")
            let verdict = row.isClear ? (row.difference > 0 ? "B higher" : "B lower") : "no clear difference"
            out.append(R.pad(name, 22) + R.pad(value(row.a), 10, right: true) + R.pad(value(row.b), 10, right: true)
                       + R.pad(delta(row.difference), 12, right: true)
                       + "   \(delta(row.low)) to \(delta(row.high))  \(verdict)")
        }
        out.append("")
        for (label, report) in [("A", a), ("B", b)] {
            let median = report.hoursToHandOffP50.map(R.duration) ?? "-"
            out.append("\(label): median time to hand-off \(median); \(report.overloadedDays.count) business days over sales capacity")
        }
        return out.joined(separator: "\n") + "\n"
    }
}
