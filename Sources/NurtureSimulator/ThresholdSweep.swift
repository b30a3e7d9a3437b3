import Foundation
import NurtureBasics
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
        var out = ["Hand-off threshold sweep for \(sequence): \(Figures.count(prospects, "prospect")), \(Figures.count(days, "day")), seed \(seed), the same prospects at every threshold", ""]
        out.append(Figures.pad("score", 7, right: true) + Figures.pad("hand-offs", 11, right: true) + Figures.pad("rate", 8, right: true)
                   + "  95% interval      " + Figures.pad("high intent", 11, right: true) + "  95% interval      "
                   + Figures.pad("median", 11, right: true) + Figures.pad("peak day", 10, right: true) + Figures.pad("days over", 11, right: true))
        for row in rows {
            let median = row.hoursToHandOffP50.map { Figures.duration($0) } ?? "-"
            out.append(Figures.pad(Condition.number(row.threshold), 7, right: true)
                       + Figures.pad(Figures.count(row.handOffs.count), 11, right: true) + Figures.pad(Figures.percent(row.handOffs.rate), 8, right: true)
                       + "  " + Figures.pad("\(Figures.percent(row.handOffs.low)) - \(Figures.percent(row.handOffs.high))", 17)
                       + Figures.pad(row.handOffs.count > 0 ? Figures.percent(row.quality.rate) : "-", 12, right: true)
                       + "  " + Figures.pad(row.handOffs.count > 0 ? "\(Figures.percent(row.quality.low)) - \(Figures.percent(row.quality.high))" : "", 17)
                       + Figures.pad(median, 12, right: true) + Figures.pad(Figures.count(row.peakDay), 10, right: true)
                       + Figures.pad(String(row.overloadedDays), 11, right: true))
        }
        out.append("")
        out.append("A higher score sends sales fewer, better leads, later; 'days over' counts business days on which sales (\(Figures.count(reps)) reps x \(Figures.count(capacityPerRep)) per business day) could not follow up every hand-off within the service level.")
        return out.joined(separator: "\n") + "\n"
    }
}
