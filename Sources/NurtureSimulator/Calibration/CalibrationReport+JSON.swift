import Foundation

extension CalibrationReport {
    /// The report as JSON, for scripts: the same figures as the text, rates as fractions and
    /// delays in seconds.
    public var json: String {
        func interval(_ range: ClosedRange<Double>) -> [Double] { [range.lowerBound, range.upperBound] }
        var object: [String: Any] = [
            "leads": leads,
            "machine_opens_kept_out": machineOpens,
            "em": ["iterations": fit.logLikelihoods.count, "converged": fit.converged, "log_likelihood": fit.logLikelihoods.last ?? 0],
            "personas": fitted.personas.enumerated().map { index, persona -> [String: Any] in
                let trials = ["bounce": fit.leads[index], "open": fit.delivered[index], "click": fit.opened[index],
                              "reply": fit.opened[index], "unsubscribe": fit.opened[index]]
                let values = ["bounce": persona.bounce, "open": persona.open, "click": persona.click,
                              "reply": persona.reply, "unsubscribe": persona.unsubscribe]
                var entry: [String: Any] = [
                    "id": persona.id, "share": persona.share, "leads": fit.leads[index], "start_share": start.personas[index].share,
                    "open_delay": ["median_seconds": persona.openDelay.medianSeconds, "spread": persona.openDelay.spread],
                    "click_delay": ["median_seconds": persona.clickDelay.medianSeconds, "spread": persona.clickDelay.spread],
                ]
                for (key, value) in values {
                    let half = Self.halfWidth(value, trials[key]!)
                    entry[key] = ["value": value, "interval": [max(0, value - half), min(1, value + half)]]
                }
                return entry
            },
            "measures": measures.map { measure -> [String: Any] in
                ["key": measure.key, "recorded": measure.recorded, "interval": interval(measure.interval), "model": measure.model, "fits": measure.fits]
            },
        ]
        if let fittedUntil { object["fitted_until"] = ISO8601DateFormatter().string(from: fittedUntil) }
        if let acceptance {
            var entry: [String: Any] = [
                "target": acceptance.target, "expired": acceptance.expired, "open": acceptance.open,
                "cells": acceptance.cells.map { cell -> [String: Any] in
                    var value: [String: Any] = ["accepted": cell.accepted, "answered": cell.answered, "rate": cell.rate, "interval": interval(cell.interval)]
                    if let band = cell.band { value["score_from"] = band; value["score_to"] = band + AcceptanceFit.bandWidth }
                    if let grade = cell.grade { value["grade"] = grade }
                    return value
                },
                "thresholds": acceptance.candidates.map { ["threshold": $0.threshold, "rate": $0.rate, "answered": $0.answered, "per_period": $0.perPeriod] },
                "rejection_reasons": acceptance.reasons.map { ["reason": $0.reason, "count": $0.count] },
            ]
            if let threshold = acceptance.threshold { entry["threshold"] = threshold }
            if let meets = acceptance.meetsVolume { entry["meets_volume_goal"] = meets }
            if let goal = acceptance.volumeGoal { entry["volume_goal"] = ["handoffs": goal.handOffs, "per_days": goal.perDays] }
            object["acceptance"] = entry
        }
        if let reps { object["reps"] = reps.json }
        if let holdout {
            object["holdout"] = [
                "cutoff": ISO8601DateFormatter().string(from: holdout.cutoff), "days": holdout.days, "leads": holdout.leads,
                "prospects": holdout.prospects, "passes": holdout.passes,
                "figures": holdout.figures.map { ["key": $0.key, "recorded": $0.recorded, "expected": $0.expected, "interval": interval($0.interval), "within": $0.within] },
            ]
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

extension RepFit {
    /// The rep section's figures for the JSON report: hours are business hours.
    var json: [String: Any] {
        func interval(_ range: ClosedRange<Double>) -> [Double] { [range.lowerBound, range.upperBound] }
        func acceptance(_ cell: Acceptance) -> [String: Any] {
            ["accepted": cell.accepted, "answered": cell.answered, "recorded": cell.rate, "interval": interval(cell.interval), "model": cell.rate]
        }
        func duration(_ fit: Duration) -> [String: Any] {
            [
                "count": fit.count, "median_hours": fit.medianHours, "median_interval": interval(fit.medianInterval),
                "spread": fit.spread, "spread_interval": interval(fit.spreadInterval),
                "quantiles": fit.quantiles.map { ["q": $0.q, "recorded": $0.recorded, "interval": interval($0.interval), "model": $0.model, "fits": $0.fits] },
            ]
        }
        var object: [String: Any] = [
            "hand_offs": handOffs, "expired": expired, "open": open, "left_out": leftOut,
            "acceptance": Dictionary(uniqueKeysWithValues: byGrade.map { ($0.grade!, acceptance($0)) }),
            "rejection_reasons": reasons.map { ["reason": $0.reason, "count": $0.count, "recorded": $0.share, "interval": interval($0.interval), "model": $0.share] },
        ]
        if let pooled { object["acceptance_default"] = acceptance(pooled) }
        if let timeToAnswer { object["time_to_answer"] = duration(timeToAnswer) }
        if let timeToFirstTouch { object["time_to_first_touch"] = duration(timeToFirstTouch) }
        return object
    }
}
