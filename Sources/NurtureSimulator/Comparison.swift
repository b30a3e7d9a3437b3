import Foundation

/// Two variants of a sequence run on the same synthetic prospects (common random numbers): each
/// prospect has the same persona, fit, time zone and random stream in both, so the difference
/// between the variants is measured prospect by prospect, with a much tighter interval than two
/// independent runs would give.
public struct VariantComparison: Codable, Sendable {
    /// One measure in both variants, and B minus A with its 95% interval.
    public struct Difference: Codable, Sendable {
        public var measure: String
        public var a: Double
        public var b: Double
        public var difference: Double
        public var low: Double
        public var high: Double

        /// Whether the interval excludes zero.
        public var isClear: Bool { low > 0 || high < 0 }
    }

    public var a: SimulationReport
    public var b: SimulationReport
    /// Each measure per enrolled prospect.
    public var differences: [Difference]
    /// Time to hand-off, over the prospects both variants hand off.
    public var handOffTiming: HandOffTiming

    /// Measures compared, per enrolled prospect: rates of each stage and emails received.
    static let stages: [SimulationStats.Stage] = [.opened, .clicked, .replied, .unsubscribed, .bounced, .handedOff]

    /// Running sums of per-prospect values and paired differences.
    struct Accumulator: Sendable {
        var count = 0
        var sumA = [Double](repeating: 0, count: stages.count + 1)
        var sumB = [Double](repeating: 0, count: stages.count + 1)
        var sumDifference = [Double](repeating: 0, count: stages.count + 1)
        var sumSquares = [Double](repeating: 0, count: stages.count + 1)
        var handOffs = HandOffTiming.Accumulator()

        /// Adds one pair: a 0 or 1 per stage reached, then the emails received, and when each was
        /// handed off.
        mutating func add(_ a: ProspectOutcome, _ b: ProspectOutcome) {
            count += 1
            handOffs.add(a, b)
            for (index, stage) in stages.enumerated() {
                add(a.reached(stage) ? 1 : 0, b.reached(stage) ? 1 : 0, at: index)
            }
            add(Double(a.emails), Double(b.emails), at: stages.count)
        }

        private mutating func add(_ x: Double, _ y: Double, at index: Int) {
            sumA[index] += x
            sumB[index] += y
            sumDifference[index] += y - x
            sumSquares[index] += (y - x) * (y - x)
        }

        mutating func merge(_ other: Accumulator) {
            count += other.count
            handOffs.merge(other.handOffs)
            for index in sumA.indices {
                sumA[index] += other.sumA[index]
                sumB[index] += other.sumB[index]
                sumDifference[index] += other.sumDifference[index]
                sumSquares[index] += other.sumSquares[index]
            }
        }

        var differences: [Difference] {
            let names = stages.map { "\($0.key)_rate" } + ["emails_per_prospect"]
            return names.indices.map { index in
                Difference(
                    paired: names[index], count: count, sumA: sumA[index], sumB: sumB[index],
                    sumDifference: sumDifference[index], sumSquares: sumSquares[index])
            }
        }
    }
}

extension VariantComparison.Difference {
    /// The means of a measure over `count` pairs, and the mean paired difference with its 95%
    /// interval (normal approximation), from the sums of the values and of the differences and
    /// their squares.
    init(paired measure: String, count: Int, sumA: Double, sumB: Double, sumDifference: Double, sumSquares: Double) {
        let n = Double(max(1, count))
        let mean = sumDifference / n
        let variance = count > 1 ? max(0, (sumSquares - n * mean * mean) / (n - 1)) : 0
        let half = 1.959964 * (variance / n).squareRoot()
        self.init(measure: measure, a: sumA / n, b: sumB / n, difference: mean, low: mean - half, high: mean + half)
    }
}

extension Simulation {
    /// Runs both setups on the same prospects (same seed, same population, same count) and pairs
    /// the outcomes.
    public static func compare(
        _ a: SimulationSetup, _ b: SimulationSetup, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
        progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> VariantComparison {
        guard a.prospects == b.prospects, a.seed == b.seed, a.days == b.days else {
            throw Failure(description: "variants must share prospects, days and seed to be compared")
        }
        let emptyA = try emptyStats(for: a), emptyB = try emptyStats(for: b)
        // Every sum is of whole numbers, so the merge order cannot change the result.
        let (statsA, statsB, pairs) = await inChunks(
            prospects: a.prospects, threads: threads, progress: progress,
            worker: { PairWorker(runA: ProspectRun(setup: a), runB: ProspectRun(setup: b), statsA: emptyA, statsB: emptyB) },
            into: (emptyA, emptyB, VariantComparison.Accumulator())
        ) { total, part in
            total.0.merge(part.0)
            total.1.merge(part.1)
            total.2.merge(part.2)
        }
        return VariantComparison(
            a: SimulationReport(stats: statsA, setup: a), b: SimulationReport(stats: statsB, setup: b),
            differences: pairs.differences, handOffTiming: pairs.handOffs.timing)
    }
}

/// One worker of `compare`: each prospect run through both variants, and the outcomes paired.
struct PairWorker: ChunkWorker {
    var runA: ProspectRun
    var runB: ProspectRun
    var statsA: SimulationStats
    var statsB: SimulationStats
    var pairs = VariantComparison.Accumulator()

    mutating func run(index: Int) {
        pairs.add(runA.run(index: index, into: &statsA), runB.run(index: index, into: &statsB))
    }

    var part: (SimulationStats, SimulationStats, VariantComparison.Accumulator) { (statsA, statsB, pairs) }
}
