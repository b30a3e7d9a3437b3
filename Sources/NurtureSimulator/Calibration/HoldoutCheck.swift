import Foundation
import NurtureCore
import NurturePersonas

/// The held-out period against a dry-run of the fitted personas: do the leads that came after the
/// cut-off behave as the model fitted on the leads before it says they will?
///
/// A held-out lead is one whose first send is at or after the cut-off and at least `days` before
/// the end of the record, followed for `days` from its first send. The dry-run puts as many
/// prospects through the same sequence for as long (more, for a steadier estimate), and each of
/// the funnel's per-lead figures gets a 95% interval for a group of the held-out size:
/// the dry-run's mean ± 1.96 standard deviations of a per-lead figure over √n, widened by the
/// dry-run's own error.
public struct HoldoutCheck: Sendable {
    public struct Figure: Sendable, Hashable {
        public var key: String
        public var label: String
        public var recorded: Double
        public var expected: Double
        public var interval: ClosedRange<Double>
        public var within: Bool { interval.contains(recorded) }
    }

    public var cutoff: Date
    public var days: Int
    public var leads: Int
    public var prospects: Int
    public var figures: [Figure]
    public var passes: Bool { !figures.isEmpty && figures.allSatisfy(\.within) }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The held-out leads' first `days` after their first send, by lead.
    static func heldOut(_ events: [RecordedEvent], after cutoff: Date, days: Int) -> [LeadEvidence] {
        let end = events.map(\.at).max() ?? cutoff
        let window = Double(days) * 86_400
        var byLead: [String: [RecordedEvent]] = [:]
        for event in events { byLead[event.lead, default: []].append(event) }
        return byLead.values.compactMap { list in
            guard let first = list.filter({ $0.kind == .sent }).map(\.at).min(),
                  first >= cutoff, first.addingTimeInterval(window) <= end else { return nil }
            return LeadEvidence.build(lead: list.filter { $0.at < first.addingTimeInterval(window) }, end: first.addingTimeInterval(window))
        }
    }

    /// Compares the held-out leads of `events` with a dry-run of `population` through `setup`'s
    /// sequence, starting at the cut-off.
    public static func run(
        events: [RecordedEvent], after cutoff: Date, days: Int, population: Population, setup template: SimulationSetup,
        threads: Int = ProcessInfo.processInfo.activeProcessorCount
    ) async throws -> HoldoutCheck {
        let held = heldOut(events, after: cutoff, days: days)
        guard !held.isEmpty else {
            throw Failure(description: "no lead has its first send after the cut-off and \(days) days of record after it; "
                + "move --holdout-after earlier or shorten --holdout-days")
        }
        var setup = template
        setup.population = population
        setup.days = days
        setup.start = cutoff
        setup.prospects = min(max(20 * held.count, 20_000), 500_000)
        let stats = try await Simulation.run(setup, threads: threads)
        let n = Double(held.count), m = Double(stats.prospects)

        // Emails per prospect: the dry-run's mean and standard deviation, from its histogram.
        let emailMean = Double(stats.emails) / m
        let emailSquares = stats.emailsPerProspect.enumerated().reduce(0.0) { $0 + Double($1.offset * $1.offset * $1.element) } / m
        let emailDeviation = max(0, emailSquares - emailMean * emailMean).squareRoot()
        func figure(_ key: String, _ label: String, recorded: Double, expected: Double, deviation: Double) -> Figure {
            let half = 1.96 * deviation * (1 / n + 1 / m).squareRoot()
            return Figure(key: key, label: label, recorded: recorded, expected: expected, interval: max(0, expected - half)...(expected + half))
        }
        func share(_ key: String, _ label: String, _ stage: SimulationStats.Stage, _ count: (LeadEvidence) -> Bool) -> Figure {
            let p = Double(stats[stage]) / m
            return figure(key, label, recorded: Double(held.count(where: count)) / n, expected: p, deviation: (p * (1 - p)).squareRoot())
        }
        let figures = [
            figure("sent", "emails sent per lead", recorded: Double(held.reduce(0) { $0 + $1.sends }) / n, expected: emailMean, deviation: emailDeviation),
            share("opened", "leads that opened (any open)", .opened, \.anyOpen),
            share("clicked", "leads that clicked", .clicked, \.anyClick),
            share("handed_off", "leads handed off", .handedOff, \.handedOff),
        ]
        return HoldoutCheck(cutoff: cutoff, days: days, leads: held.count, prospects: stats.prospects, figures: figures)
    }
}
