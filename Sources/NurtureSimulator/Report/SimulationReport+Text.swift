import Foundation
import NurtureBasics

extension SimulationReport {
    /// The report for a terminal: the funnel, timing, steps and the daily load on sales.
    public var text: String {
        var out: [String] = []
        out.append("Dry run of \(setup.sequence): \(Figures.count(setup.prospects, "prospect")) over \(Figures.count(setup.days, "day")), seed \(setup.seed), starting \(setup.start)")
        out.append("")
        out.append(Figures.pad("Funnel", 16) + Figures.pad("count", 10, right: true) + Figures.pad("rate", 9, right: true) + "   95% interval")
        for stage in funnel {
            let share = stage.share
            out.append("  " + Figures.pad(stage.label, 14) + Figures.pad(Figures.count(share.count), 10, right: true)
                       + Figures.pad(Figures.percent(share.rate), 9, right: true)
                       + "   \(Figures.percent(share.low)) - \(Figures.percent(share.high))")
        }
        out.append("")
        out.append("Emails: \(Figures.count(emails)) sent, \(String(format: "%.2f", emailsPerProspectMean)) per prospect; \(Figures.count(opens)) opens (\(Figures.count(machineOpens)) by privacy proxies, no human behind them); \(Figures.count(clicks)) clicks")
        if let p50 = hoursToHandOffP50, let p90 = hoursToHandOffP90 {
            out.append("Time to hand-off: median \(Figures.duration(p50)), 90% within \(Figures.duration(p90))")
        } else {
            out.append("Time to hand-off: no hand-offs in \(Figures.count(setup.days, "day"))")
        }
        let unsubscribed = self[.unsubscribed]
        out.append("Unsubscribe risk: \(Figures.percent(unsubscribed.rate)) of enrolled prospects (\(Figures.percent(unsubscribed.low)) - \(Figures.percent(unsubscribed.high)))")
        out.append("")
        out.append("  " + Figures.pad("step", 26) + Figures.pad("sent", 10, right: true) + Figures.pad("opened", 10, right: true)
                   + Figures.pad("clicked", 10, right: true) + Figures.pad("exits", 9, right: true))
        for step in steps where step.kind == "email" || step.exits > 0 {
            out.append("  " + Figures.pad(step.id, 26) + Figures.pad(Figures.count(step.sent), 10, right: true)
                       + Figures.pad(Figures.count(step.opened), 10, right: true) + Figures.pad(Figures.count(step.clicked), 10, right: true)
                       + Figures.pad(Figures.count(step.exits), 9, right: true))
        }
        out.append("")
        let daily = setup.reps * setup.capacityPerRep
        out.append("Hand-offs per day, against \(setup.reps) reps x \(setup.capacityPerRep) = \(daily) follow-ups per business day:")
        let peak = max(1, days.map(\.handOffs).max() ?? 1)
        // With arrivals spread over the run, every day of it matters: the load builds up, levels
        // out, and is still there at the end. Otherwise the days after the last hand-off are empty.
        let last = setup.arrivals != nil ? days.count - 1 : days.lastIndex { $0.handOffs > 0 || $0.carriedOver > 0 } ?? -1
        if setup.arrivals != nil {
            out.append("  " + Figures.pad("", 14) + " " + Figures.pad("arrived", 8, right: true) + " " + Figures.pad("handed off", 10, right: true))
        }
        for day in days.prefix(last + 1) {
            let bar = String(repeating: "#", count: Int((Double(day.handOffs) / Double(peak) * 40).rounded(.up)))
            let note = day.carriedOver > 0 && day.capacity > 0 ? "  over capacity: \(Figures.count(day.carriedOver)) wait past the SLA"
                : day.capacity == 0 && day.handOffs > 0 ? "  (no one working: waits for the next business day)" : ""
            let counts = setup.arrivals == nil ? " " + Figures.pad(Figures.count(day.handOffs), 7, right: true)
                : " " + Figures.pad(Figures.count(day.arrivals), 8, right: true) + " " + Figures.pad(Figures.count(day.handOffs), 10, right: true)
            out.append("  \(day.weekday.prefix(1).uppercased() + day.weekday.dropFirst()) \(day.date)" + counts + "  \(bar)\(note)")
        }
        if overloadedDays.isEmpty {
            out.append("Sales keeps up on every day.")
        } else {
            out.append("Over capacity on \(Figures.count(overloadedDays.count, "business day")): hand-offs would miss the service level.")
        }
        if let arrivals = setup.arrivals {
            out.append("Arrivals: \(arrivals) on the business clock, \(Figures.count(setup.prospects, "prospect")) in all.")
        }
        out.append("At the end: \(Figures.count(leadsInFlight, "lead")) still in the sequence, \(Figures.count(handOffsWaitingAtEnd, "hand-off")) waiting for sales.")
        out.append("Per rep: " + handOffsPerRep.enumerated().map { "Rep \($0.offset + 1) \(Figures.count($0.element))" }.joined(separator: ", "))
        out.append("")
        out.append("Hand-off quality: \(Figures.percent(handOffQuality.rate)) from high-intent personas (\(Figures.percent(handOffQuality.low)) - \(Figures.percent(handOffQuality.high)))")
        for persona in personas {
            let rate = persona.prospects > 0 ? Double(persona.handOffs) / Double(persona.prospects) : 0
            out.append("  " + Figures.pad(persona.id + (persona.highIntent ? " *" : ""), 24) + Figures.pad(Figures.count(persona.prospects), 10, right: true)
                       + " prospects" + Figures.pad(Figures.count(persona.handOffs), 9, right: true) + " hand-offs  " + Figures.percent(rate))
        }
        if let sequences {
            out.append("")
            out += SequenceBreakdown.textLines(sequences)
        }
        if let forecast = slaForecast {
            out.append("")
            out += forecast.textLines
        }
        return out.joined(separator: "\n") + "\n"
    }
}
