import Foundation
import NurtureCore

/// One run per hand-off score on the same prospects, tabulating how many hand-offs sales gets
/// against how good they are: the trade-off marketing and sales argue about, on one page.
public struct ThresholdSweep: Codable, Sendable {
    public struct Row: Codable, Sendable {
        public var threshold: Double
        /// Hand-offs among enrolled prospects.
        public var handOffs: Proportion
        /// Share of hand-offs from high-intent personas.
        public var quality: Proportion
        public var hoursToHandOffP50: Double?
        public var peakDay: Int
        public var overloadedDays: Int
    }

    public var sequence: String
    public var prospects: Int
    public var days: Int
    public var seed: UInt64
    /// The sales team that 'days over' is counted against.
    public var reps: Int
    public var capacityPerRep: Int
    public var rows: [Row]

    /// Parses `threshold=40..120:10` into the values to try.
    public static func values(parsing text: String) -> [Double]? {
        let parts = text.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, parts[0] == "threshold" else { return nil }
        // Empty pieces kept: `threshold=:` must be refused, not index an empty array.
        let rangeAndStep = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        let bounds = rangeAndStep[0].components(separatedBy: "..")
        guard bounds.count == 2, let low = Double(bounds[0]), let high = Double(bounds[1]), low <= high else { return nil }
        let step = rangeAndStep.count == 2 ? Double(rangeAndStep[1]) : 10
        guard let step, step > 0, rangeAndStep.count <= 2, (high - low) / step <= 200 else { return nil }
        return Array(stride(from: low, through: high + step / 1000, by: step))
    }

    public static func run(
        _ setup: SimulationSetup, thresholds: [Double], threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> ThresholdSweep {
        var rows: [Row] = []
        for (number, threshold) in thresholds.enumerated() {
            var variant = setup
            variant.definitions = setup.definitions.withHandOffScore(threshold, in: setup.sequence)
            let done = number * setup.prospects
            let stats = try await Simulation.run(variant, threads: threads) { progress?(done + $0) }
            let report = SimulationReport(stats: stats, setup: variant)
            rows.append(Row(
                threshold: threshold, handOffs: report[.handedOff], quality: report.handOffQuality,
                hoursToHandOffP50: report.hoursToHandOffP50, peakDay: report.days.map(\.handOffs).max() ?? 0,
                overloadedDays: report.overloadedDays.count))
        }
        return ThresholdSweep(
            sequence: setup.sequence, prospects: setup.prospects, days: setup.days, seed: setup.seed, reps: setup.reps,
            capacityPerRep: setup.capacityPerRep, rows: rows)
    }

    public var text: String {
        typealias R = SimulationReport
        var out = ["Hand-off threshold sweep for \(sequence): \(R.count(prospects, "prospect")), \(R.count(days, "day")), seed \(seed), the same prospects at every threshold", ""]
        out.append(R.pad("score", 7, right: true) + R.pad("hand-offs", 11, right: true) + R.pad("rate", 8, right: true)
                   + "  95% interval      " + R.pad("high intent", 11, right: true) + "  95% interval      "
                   + R.pad("median", 11, right: true) + R.pad("peak day", 10, right: true) + R.pad("days over", 11, right: true))
        for row in rows {
            let median = row.hoursToHandOffP50.map { R.duration($0) } ?? "-"
            out.append(R.pad(Condition.number(row.threshold), 7, right: true)
                       + R.pad(R.count(row.handOffs.count), 11, right: true) + R.pad(R.percent(row.handOffs.rate), 8, right: true)
                       + "  " + R.pad("\(R.percent(row.handOffs.low)) - \(R.percent(row.handOffs.high))", 17)
                       + R.pad(row.handOffs.count > 0 ? R.percent(row.quality.rate) : "-", 12, right: true)
                       + "  " + R.pad(row.handOffs.count > 0 ? "\(R.percent(row.quality.low)) - \(R.percent(row.quality.high))" : "", 17)
                       + R.pad(median, 12, right: true) + R.pad(R.count(row.peakDay), 10, right: true)
                       + R.pad(String(row.overloadedDays), 11, right: true))
        }
        out.append("")
        out.append("A higher score sends sales fewer, better leads, later; 'days over' counts business days on which sales (\(R.count(reps)) reps x \(R.count(capacityPerRep)) per business day) could not follow up every hand-off within the service level.")
        return out.joined(separator: "\n") + "\n"
    }
}
