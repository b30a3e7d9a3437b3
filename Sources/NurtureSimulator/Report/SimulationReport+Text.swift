import Foundation

extension SimulationReport {
    /// The report for a terminal: the funnel, timing, steps and the daily load on sales.
    public var text: String {
        var out: [String] = []
        out.append("Dry run of \(setup.sequence): \(Self.count(setup.prospects, "prospect")) over \(Self.count(setup.days, "day")), seed \(setup.seed), starting \(setup.start)")
        out.append("")
        out.append(Self.pad("Funnel", 16) + Self.pad("count", 10, right: true) + Self.pad("rate", 9, right: true) + "   95% interval")
        for stage in funnel {
            let share = stage.share
            out.append("  " + Self.pad(stage.label, 14) + Self.pad(Self.count(share.count), 10, right: true)
                       + Self.pad(Self.percent(share.rate), 9, right: true)
                       + "   \(Self.percent(share.low)) - \(Self.percent(share.high))")
        }
        out.append("")
        out.append("Emails: \(Self.count(emails)) sent, \(String(format: "%.2f", emailsPerProspectMean)) per prospect; \(Self.count(opens)) opens (\(Self.count(machineOpens)) by privacy proxies, no human behind them); \(Self.count(clicks)) clicks")
        if let p50 = hoursToHandOffP50, let p90 = hoursToHandOffP90 {
            out.append("Time to hand-off: median \(Self.duration(p50)), 90% within \(Self.duration(p90))")
        } else {
            out.append("Time to hand-off: no hand-offs in \(Self.count(setup.days, "day"))")
        }
        let unsubscribed = self[.unsubscribed]
        out.append("Unsubscribe risk: \(Self.percent(unsubscribed.rate)) of enrolled prospects (\(Self.percent(unsubscribed.low)) - \(Self.percent(unsubscribed.high)))")
        out.append("")
        out.append("  " + Self.pad("step", 26) + Self.pad("sent", 10, right: true) + Self.pad("opened", 10, right: true)
                   + Self.pad("clicked", 10, right: true) + Self.pad("exits", 9, right: true))
        for step in steps where step.kind == "email" || step.exits > 0 {
            out.append("  " + Self.pad(step.id, 26) + Self.pad(Self.count(step.sent), 10, right: true)
                       + Self.pad(Self.count(step.opened), 10, right: true) + Self.pad(Self.count(step.clicked), 10, right: true)
                       + Self.pad(Self.count(step.exits), 9, right: true))
        }
        out.append("")
        let daily = setup.reps * setup.capacityPerRep
        out.append("Hand-offs per day, against \(setup.reps) reps x \(setup.capacityPerRep) = \(daily) follow-ups per business day:")
        let peak = max(1, days.map(\.handOffs).max() ?? 1)
        let last = days.lastIndex { $0.handOffs > 0 || $0.carriedOver > 0 } ?? -1
        for day in days.prefix(last + 1) {
            let bar = String(repeating: "#", count: Int((Double(day.handOffs) / Double(peak) * 40).rounded(.up)))
            let note = day.carriedOver > 0 && day.capacity > 0 ? "  over capacity: \(Self.count(day.carriedOver)) wait past the SLA"
                : day.capacity == 0 && day.handOffs > 0 ? "  (no one working: waits for the next business day)" : ""
            out.append("  \(day.weekday.prefix(1).uppercased() + day.weekday.dropFirst()) \(day.date) " + Self.pad(Self.count(day.handOffs), 7, right: true) + "  \(bar)\(note)")
        }
        if overloadedDays.isEmpty {
            out.append("Sales keeps up on every day.")
        } else {
            out.append("Over capacity on \(Self.count(overloadedDays.count, "business day")): hand-offs would miss the service level.")
        }
        out.append("Per rep: " + handOffsPerRep.enumerated().map { "Rep \($0.offset + 1) \(Self.count($0.element))" }.joined(separator: ", "))
        out.append("")
        out.append("Hand-off quality: \(Self.percent(handOffQuality.rate)) from high-intent personas (\(Self.percent(handOffQuality.low)) - \(Self.percent(handOffQuality.high)))")
        for persona in personas {
            let rate = persona.prospects > 0 ? Double(persona.handOffs) / Double(persona.prospects) : 0
            out.append("  " + Self.pad(persona.id + (persona.highIntent ? " *" : ""), 24) + Self.pad(Self.count(persona.prospects), 10, right: true)
                       + " prospects" + Self.pad(Self.count(persona.handOffs), 9, right: true) + " hand-offs  " + Self.percent(rate))
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let gap = String(repeating: " ", count: max(0, width - text.count))
        return right ? gap + text : text + gap
    }

    /// 10000 as "10,000", as every report and the progress bar write counts.
    public static func count(_ value: Int) -> String {
        let digits = String(value)
        var result = ""
        for (offset, char) in digits.reversed().enumerated() {
            if offset > 0, offset % 3 == 0 { result.append(",") }
            result.append(char)
        }
        return String(result.reversed())
    }

    /// "1 day", "60 days", "10,000 prospects": a count with its noun, plural unless it is one.
    public static func count(_ value: Int, _ noun: String) -> String {
        "\(count(value)) \(noun)\(value == 1 ? "" : "s")"
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    static func duration(_ hours: Double) -> String {
        hours < 48 ? String(format: "%.0f hours", hours) : String(format: "%.1f days", hours / 24)
    }
}
