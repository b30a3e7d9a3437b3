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
            out.append(R.pad(row.name, 22) + R.pad(row.formatted(row.a), 10, right: true) + R.pad(row.formatted(row.b), 10, right: true)
                       + R.pad(row.formattedDelta(row.difference), 12, right: true)
                       + "   \(row.formattedDelta(row.low)) to \(row.formattedDelta(row.high))  \(row.verdict)")
        }
        out.append("")
        for (label, report) in [("A", a), ("B", b)] {
            let median = report.hoursToHandOffP50.map(R.duration) ?? "-"
            out.append("\(label): median time to hand-off \(median); \(report.overloadedDays.count) business days over sales capacity")
        }
        return out.joined(separator: "\n") + "\n"
    }
}

extension VariantComparison.Difference {
    /// Rates are compared in percentage points; emails per prospect as a plain number.
    var isRate: Bool { measure.hasSuffix("_rate") }

    /// The measure as people say it: "clicked rate".
    var name: String { measure.replacingOccurrences(of: "_", with: " ") }

    func formatted(_ value: Double) -> String { isRate ? SimulationReport.percent(value) : String(format: "%.2f", value) }

    func formattedDelta(_ value: Double) -> String {
        isRate ? String(format: "%+.2f pts", value * 100) : String(format: "%+.2f", value)
    }

    var verdict: String { isClear ? (difference > 0 ? "B higher" : "B lower") : "no clear difference" }
}

