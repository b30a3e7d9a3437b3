import Foundation
import NurtureCore
import NurturePersonas

/// Personas fitted to a recorded history: the mixture, how well it fits, the acceptance of
/// hand-offs by score and grade, and (when asked) the held-out period against a dry-run.
public struct CalibrationReport: Sendable {
    public var start: Population
    public var fitted: Population
    public var fit: MixtureFit.Result
    public var measures: [FitMeasure]
    public var acceptance: AcceptanceFit?
    /// The persona file's `reps:` section, from the outcomes.
    public var reps: RepFit?
    public var holdout: HoldoutCheck?
    /// The leads fitted, and machine opens left out of the fit.
    public var leads: Int
    public var machineOpens: Int
    /// Fitted on the record before this time, when a holdout was asked for.
    public var fittedUntil: Date?
}

public enum Calibration {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Fits `start`'s personas (their number, ids and every field not fitted are kept) to the leads
    /// of `events` whose history begins before `until` (all of them when nil), using only their
    /// events before it. Rep times are counted in `businessHours` (the lifecycle's).
    public static func fit(
        events: [RecordedEvent], outcomes: [RecordedOutcome], start: Population, until: Date? = nil,
        acceptanceTarget: Double = 0.9, volumeGoal: (handOffs: Int, perDays: Int)? = nil, businessHours: SendWindow = .always
    ) throws -> CalibrationReport {
        let evidence = LeadEvidence.build(events, until: until)
        // Sorted by lead, so that the fit and its bootstrap do not depend on a dictionary's order.
        let leads = evidence.keys.sorted().map { evidence[$0]! }
        guard leads.contains(where: { $0.delivered > 0 }) else {
            throw Failure(description: until == nil
                ? "no lead has a delivered email (an email_sent row that did not bounce): calibration needs the sends to count opens against"
                : "no lead has a delivered email before the holdout cut-off")
        }
        let categories = PersonaRates.Categories(
            clicks: Set(start.personas.flatMap { $0.clickCategories?.values ?? [] } + leads.flatMap(\.clickCategories.keys)).sorted(),
            pages: Set(start.personas.flatMap { $0.visitPages?.values ?? [] } + leads.flatMap(\.pageCategories.keys)).sorted())
        var result = MixtureFit.fit(leads, start: start.personas.map { PersonaRates($0, categories: categories) }, categories: categories)
        let bounced = Double(leads.count(where: \.bounced)) / Double(leads.count)
        result.personas = BounceSplit.apply(result.personas, startBounce: start.personas.map(\.bounce), bounced: bounced)
        let personas = zip(result.personas, start.personas).map { $0.applied(to: $1, categories: categories) }
        guard let fitted = Population(version: start.version + 1, personas: personas, timeZones: start.timeZones) else {
            throw Failure(description: "the fitted shares do not add up to anything positive")
        }
        let kept = outcomes.filter { outcome in until.map { outcome.handedOffAt < $0 } ?? true }
        return CalibrationReport(
            start: start, fitted: fitted, fit: result, measures: FitMeasures.measure(
                leads, fitted: result.personas, weights: MixtureFit.posteriors(leads, result.personas, categories: categories)),
            acceptance: kept.isEmpty ? nil : AcceptanceFit(kept, target: acceptanceTarget, volumeGoal: volumeGoal),
            reps: kept.isEmpty ? nil : RepFit(kept, businessHours: businessHours),
            holdout: nil, leads: leads.count, machineOpens: leads.reduce(0) { $0 + $1.machineOpens }, fittedUntil: until)
    }
}
