import Foundation
import NurtureBasics

/// The report as text for a terminal, and the number formats its page shares.
extension LoopReport {
    /// `48,000.00 USD`; amounts in several currencies are listed, never added.
    static func money(_ amounts: [Money]) -> String {
        amounts.isEmpty ? "-" : amounts.map { "\(amount($0.amount)) \($0.currency)" }.joined(separator: " + ")
    }

    static func amount(_ value: Decimal) -> String {
        let formatter = NumberFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.numberStyle = .decimal
        formatter.usesGroupingSeparator = true
        formatter.groupingSeparator = ","
        formatter.minimumFractionDigits = 2
        formatter.maximumFractionDigits = 2
        return formatter.string(from: NSDecimalNumber(decimal: value)) ?? "\(value)"
    }

    /// `12% (8%–17%)`.
    static func rate(_ rate: Rate) -> String {
        guard let value = rate.rate, let low = rate.low, let high = rate.high else { return "-" }
        return String(format: "%.0f%% (%.0f\u{2013}%.0f%%)", value * 100, low * 100, high * 100)
    }

    static func lift(_ value: Double?) -> String { value.map { String(format: "%.2fx", $0) } ?? "-" }

    static let dimensionTitles = ["sequence": "Sequences", "email": "Email steps", "content": "Content categories"]

    /// The goal in words: `412,000.00 of 500,000.00 USD revenue (82%)`.
    var goalText: String {
        guard let goal = sharedNumber.goal else { return "no goal set in lifecycle.yml" }
        let unit = goal.currency.map { " \($0)" } ?? ""
        let figures = goal.metric == "accepted"
            ? "\(goal.actual) of \(goal.target) accepted hand-offs"
            : "\(Self.amount(goal.actual)) of \(Self.amount(goal.target))\(unit) \(goal.metric)"
        return figures + " (\(SLALedger.percent(goal.share)); goal per \(goal.per), scaled to the period)"
    }

    public var text: String {
        var lines: [String] = []
        lines.append("Closed loop from \(SLALedger.day(since)) to \(SLALedger.day(until)) (attribution: \(attribution.rawValue) touch)")
        lines.append("")
        lines.append("The shared number")
        lines.append("  goal          \(goalText)")
        lines.append("  pipeline      \(Self.money(sharedNumber.pipeline)) from \(sharedNumber.qualified) qualified")
        lines.append("  revenue       \(Self.money(sharedNumber.revenue)) from \(sharedNumber.won) won"
            + (sharedNumber.wonWithoutValue > 0 ? " (\(sharedNumber.wonWithoutValue) without a value)" : ""))
        lines.append("  hand-offs     \(sharedNumber.handedOff) delivered, \(sharedNumber.accepted) accepted")
        lines.append("")
        lines.append("Service levels")
        let marketing = serviceLevels.marketing
        lines.append("  marketing     \(Figures.count(marketing.delivered, "hand-off"))\(marketing.goal.map { " against \($0) promised" } ?? ""), "
            + "\(SLALedger.percent(marketing.acceptedShare)) accepted of those answered, \(SLALedger.percent(marketing.gradeABShare)) grade A or B")
        for rep in serviceLevels.reps {
            lines.append("  \(rep.rep.padding(toLength: 34, withPad: " ", startingAt: 0)) answered in time \(SLALedger.percent(rep.answeredInTimeShare)), "
                + "touched in time \(SLALedger.percent(rep.touchedInTimeShare))")
        }
        if serviceLevels.reps.isEmpty { lines.append("  (no hand-offs in the period)") }
        lines.append("")
        lines.append("What worked (\(Figures.count(nurtured, "nurtured lead")); rates with 95% intervals; groups under \(minimumGroup) leads are flagged, not ranked)")
        for dimension in ["sequence", "email", "content"] {
            let list = groups.filter { $0.dimension == dimension }
            lines.append("  \(Self.dimensionTitles[dimension]!)")
            lines.append("    rank  " + "name".padding(toLength: 28, withPad: " ", startingAt: 0)
                + "   met handed accepted qualified won won rate         won lift accept lift revenue")
            for group in list {
                lines.append("    " + [
                    (group.rank.map { "\($0)" } ?? "small").padding(toLength: 5, withPad: " ", startingAt: 0),
                    group.name.padding(toLength: 28, withPad: " ", startingAt: 0), String(format: "%5d", group.met),
                    String(format: "%6d", group.handedOff), String(format: "%8d", group.accepted), String(format: "%9d", group.qualified),
                    String(format: "%3d", group.won), Self.rate(group.wonRate).padding(toLength: 16, withPad: " ", startingAt: 0),
                    Self.lift(group.wonLift).leftPadded(8), Self.lift(group.acceptedLift).leftPadded(11), Self.money(group.revenue),
                ].joined(separator: " "))
            }
            if list.isEmpty { lines.append("    (no human engagement in the period)") }
        }
        lines.append("")
        lines.append("Why leads were turned down")
        for (title, table) in [("by sequence", rejectionsBySequence), ("by fit grade", rejectionsByGrade)] {
            lines.append("  \(title)")
            for reasons in table {
                func list(_ counts: [Reasons.Count]) -> String {
                    counts.isEmpty ? "none" : counts.map { "\($0.reason) \($0.count)" }.joined(separator: ", ")
                }
                lines.append("    \(reasons.key): \(reasons.handedOff) handed off; rejected: \(list(reasons.rejected)); "
                    + "disqualified: \(list(reasons.disqualified))")
            }
            if table.isEmpty { lines.append("    (none in the period)") }
        }
        return lines.joined(separator: "\n")
    }
}
