import Foundation
import NurtureBasics

extension CalibrationReport {
    /// The report as a terminal shows it: the personas before and after, the measures against the
    /// model, acceptance by score and grade, the threshold, and the holdout verdict.
    public var text: String {
        var lines: [String] = []
        let until = fittedUntil.map { " before \(Self.day($0))" } ?? ""
        lines.append("Calibrated on \(Figures.count(leads, "lead"))\(until); \(Figures.count(machineOpens, "machine open")) kept out.")
        lines.append("EM: \(fit.logLikelihoods.count) iterations, \(fit.converged ? "converged" : "stopped before converging"), "
            + "log-likelihood \(String(format: "%.1f", fit.logLikelihoods.last ?? 0)).")
        lines.append("")
        lines.append("Personas (start -> fitted; ± is a 95% interval as if each persona's leads were known):")
        for (index, persona) in fitted.personas.enumerated() {
            let before = start.personas[index]
            lines.append("  \(persona.id): share \(Self.percent(before.share)) -> \(Self.percent(persona.share)) "
                + "(\(String(format: "%.0f", fit.leads[index])) leads with a delivered email)")
            for (label, old, new, trials) in [
                ("bounce", before.bounce, persona.bounce, fit.leads[index]),
                ("open", before.open, persona.open, fit.delivered[index]),
                ("click", before.click, persona.click, fit.opened[index]),
                ("reply", before.reply, persona.reply, fit.opened[index]),
                ("unsubscribe", before.unsubscribe, persona.unsubscribe, fit.opened[index]),
            ] {
                lines.append("    \(label.padding(toLength: 12, withPad: " ", startingAt: 0))\(Self.percent(old)) -> \(Self.percent(new)) "
                    + "± \(Self.percent(Self.halfWidth(new, trials)))")
            }
            lines.append("    open delay  \(Self.duration(before.openDelay.medianSeconds)) (spread \(String(format: "%.2f", before.openDelay.spread))) -> "
                + "\(Self.duration(persona.openDelay.medianSeconds)) (spread \(String(format: "%.2f", persona.openDelay.spread)))")
            lines.append("    visits      \(String(format: "%.3f", before.visitsPerDay)) -> \(String(format: "%.3f", persona.visitsPerDay)) a day")
            lines.append("    click delay \(Self.duration(before.clickDelay.medianSeconds)) (spread \(String(format: "%.2f", before.clickDelay.spread))) -> "
                + "\(Self.duration(persona.clickDelay.medianSeconds)) (spread \(String(format: "%.2f", persona.clickDelay.spread)))")
        }
        lines.append("")
        lines.append("Recorded against the fitted model (95% bootstrap interval over leads):")
        for measure in measures {
            func show(_ value: Double) -> String {
                measure.isDelay ? Self.duration(value) : measure.isPerDay ? String(format: "%.3f", value) : Self.percent(value)
            }
            lines.append("  \(measure.label.padding(toLength: 40, withPad: " ", startingAt: 0)) recorded \(show(measure.recorded)) "
                + "[\(show(measure.interval.lowerBound)), \(show(measure.interval.upperBound))], model \(show(measure.model))"
                + (measure.fits ? "" : "  MISSED"))
        }
        if let acceptance {
            lines.append("")
            lines += acceptance.textLines
        }
        if let reps {
            lines.append("")
            lines += reps.textLines
        }
        if let holdout {
            lines.append("")
            lines += holdout.textLines
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func halfWidth(_ p: Double, _ trials: Double) -> Double {
        trials > 0 ? 1.96 * (p * (1 - p) / trials).squareRoot() : 1
    }

    static func percent(_ value: Double) -> String {
        value < 0.1 ? String(format: "%.2f%%", value * 100) : String(format: "%.1f%%", value * 100)
    }

    static func duration(_ seconds: Double) -> String {
        seconds < 120 ? String(format: "%.0fs", seconds)
            : seconds < 7200 ? String(format: "%.1fm", seconds / 60)
            : seconds < 172_800 ? String(format: "%.1fh", seconds / 3600) : String(format: "%.1fd", seconds / 86_400)
    }

    static func day(_ date: Date) -> String { String(ISO8601DateFormatter().string(from: date).prefix(10)) }
}

extension AcceptanceFit {
    var textLines: [String] {
        var lines = ["Acceptance by score band and grade (answered hand-offs; \(expired) expired, \(open) still open):"]
        for cell in cells {
            let band = cell.band.map { "\($0)-\($0 + Self.bandWidth - 1)" } ?? "all"
            let interval = cell.interval
            lines.append("  score \(band.padding(toLength: 7, withPad: " ", startingAt: 0)) grade \((cell.grade ?? "all").padding(toLength: 4, withPad: " ", startingAt: 0)) "
                + "\(cell.accepted)/\(cell.answered) accepted, \(CalibrationReport.percent(cell.rate)) "
                + "[\(CalibrationReport.percent(interval.lowerBound)), \(CalibrationReport.percent(interval.upperBound))]")
        }
        let period = volumeGoal.map { $0.perDays == 7 ? "week" : "month" } ?? "week"
        lines.append("Thresholds (hand-offs at or above each score):")
        for candidate in candidates {
            lines.append("  >= \(candidate.threshold): acceptance \(CalibrationReport.percent(candidate.rate)) of \(candidate.answered), "
                + String(format: "%.1f", candidate.perPeriod) + " hand-offs a \(period)")
        }
        let target = CalibrationReport.percent(self.target)
        if let threshold {
            var line = "Lowest threshold keeping acceptance at or above \(target): \(threshold)"
            if let goal = volumeGoal, let meetsVolume {
                line += meetsVolume ? "; it meets the volume goal of \(goal.handOffs) a \(period)"
                    : "; it does NOT meet the volume goal of \(goal.handOffs) a \(period): the two promises conflict"
            }
            lines.append(line + ".")
        } else {
            lines.append("No recorded threshold keeps acceptance at or above \(target).")
        }
        if !reasons.isEmpty {
            lines.append("Rejection reasons: " + reasons.map { "\($0.reason) \($0.count)" }.joined(separator: ", ") + ".")
        }
        return lines
    }
}

extension RepFit {
    var textLines: [String] {
        func percent(_ value: Double) -> String { CalibrationReport.percent(value) }
        func hours(_ value: Double) -> String { String(format: "%.2fh", value) }
        var lines = ["Rep behaviour (the reps: section; \(Figures.count(handOffs, "hand-off")), \(expired) expired "
            + "(\(percent(handOffs == 0 ? 0 : Double(expired) / Double(handOffs)))) and \(open) open left out; 95% intervals):"]
        for cell in byGrade + (pooled.map { [$0] } ?? []) {
            let label = cell.grade.map { "acceptance, grade \($0)" } ?? "acceptance, default (all grades)"
            lines.append("  \(label.padding(toLength: 34, withPad: " ", startingAt: 0)) recorded \(cell.accepted)/\(cell.answered) "
                + "\(percent(cell.rate)) [\(percent(cell.interval.lowerBound)), \(percent(cell.interval.upperBound))], model \(percent(cell.rate))")
        }
        for (label, duration) in [("time to answer", timeToAnswer), ("time to first touch", timeToFirstTouch)] {
            guard let duration else { continue }
            lines.append("  \(label) (business hours, \(duration.count)): log-normal, median \(hours(duration.medianHours)) "
                + "[\(hours(duration.medianInterval.lowerBound)), \(hours(duration.medianInterval.upperBound))], spread "
                + String(format: "%.2f [%.2f, %.2f]", duration.spread, duration.spreadInterval.lowerBound, duration.spreadInterval.upperBound))
            for quantile in duration.quantiles {
                let name = quantile.q == 0.5 ? "median" : "p\(Int(quantile.q * 100))"
                lines.append("    \(name.padding(toLength: 30, withPad: " ", startingAt: 0)) recorded \(hours(quantile.recorded)) "
                    + "[\(hours(quantile.interval.lowerBound)), \(hours(quantile.interval.upperBound))], model \(hours(quantile.model))"
                    + (quantile.fits ? "" : "  MISSED"))
            }
        }
        if let first = reasons.first {
            lines.append("  rejection reasons (of \(first.of) rejections with a reason):")
            for reason in reasons {
                lines.append("    \(reason.reason.padding(toLength: 30, withPad: " ", startingAt: 0)) recorded \(reason.count) "
                    + "\(percent(reason.share)) [\(percent(reason.interval.lowerBound)), \(percent(reason.interval.upperBound))], model \(percent(reason.share))")
            }
        }
        for note in leftOut { lines.append("  left out: \(note).") }
        return lines
    }
}

extension HoldoutCheck {
    var textLines: [String] {
        var lines = ["Held out: \(Figures.count(leads, "lead")) with a first send from \(CalibrationReport.day(cutoff)), "
            + "followed \(days) days, against a dry-run of \(Figures.count(prospects, "prospect")) (95% intervals for \(leads) leads):"]
        for figure in figures {
            func show(_ value: Double) -> String { figure.key == "sent" ? String(format: "%.2f", value) : CalibrationReport.percent(value) }
            lines.append("  \(figure.label.padding(toLength: 30, withPad: " ", startingAt: 0)) recorded \(show(figure.recorded)), "
                + "dry-run \(show(figure.expected)) [\(show(figure.interval.lowerBound)), \(show(figure.interval.upperBound))]"
                + (figure.within ? "" : "  OUTSIDE"))
        }
        lines.append(passes ? "The held-out funnel falls within the dry-run's intervals."
            : "The held-out funnel does NOT fall within the dry-run's intervals: the history has changed, or the personas miss it.")
        return lines
    }
}
