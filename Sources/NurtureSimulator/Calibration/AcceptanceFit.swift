import Foundation

/// How often sales accepts a hand-off, by score band and fit grade, and the lowest score threshold
/// that keeps acceptance at an agreed rate, from the recorded answers.
///
/// Only answered hand-offs count (accepted or rejected); expired and open ones say nothing of what
/// the rep thought. Hand-offs below the threshold in force at the time were never made, so the
/// table says nothing below the lowest recorded score.
public struct AcceptanceFit: Sendable {
    public struct Cell: Sendable, Hashable {
        /// The band's lowest score (a band is `bandWidth` wide); nil for all scores.
        public var band: Int?
        /// The grade; nil for every grade.
        public var grade: String?
        public var accepted: Int
        public var answered: Int
        public var rate: Double { answered == 0 ? 0 : Double(accepted) / Double(answered) }
        public var interval: ClosedRange<Double> { Interval.wilson(successes: accepted, trials: answered) }
    }

    /// One candidate threshold: the hand-offs at or above it, as recorded.
    public struct Candidate: Sendable, Hashable {
        public var threshold: Int
        public var accepted: Int
        public var answered: Int
        /// Hand-offs at or above the threshold per week (or month) of the recorded period.
        public var perPeriod: Double
        public var rate: Double { answered == 0 ? 0 : Double(accepted) / Double(answered) }
    }

    public static let bandWidth = 10

    public var cells: [Cell]
    public var candidates: [Candidate]
    /// The lowest threshold whose acceptance is at or above `target` (nil when none is).
    public var threshold: Int?
    /// Whether that threshold still gives the volume goal; nil when there is no goal.
    public var meetsVolume: Bool?
    public var target: Double
    public var volumeGoal: (handOffs: Int, perDays: Int)?
    public var expired: Int
    public var open: Int
    /// Rejection reasons, most frequent first.
    public var reasons: [(reason: String, count: Int)]

    public init(_ outcomes: [RecordedOutcome], target: Double, volumeGoal: (handOffs: Int, perDays: Int)?) {
        self.target = target
        self.volumeGoal = volumeGoal
        let answered = outcomes.filter { $0.answer == .accepted || $0.answer == .rejected }
        expired = outcomes.count { $0.answer == .expired }
        open = outcomes.count { $0.answer == .open }
        func band(_ score: Double) -> Int { Int((score / Double(Self.bandWidth)).rounded(.down)) * Self.bandWidth }
        var table: [String: Cell] = [:]
        for outcome in answered {
            for (key, cell) in [
                ("\(band(outcome.score))|\(outcome.grade)", Cell(band: band(outcome.score), grade: outcome.grade, accepted: 0, answered: 0)),
                ("\(band(outcome.score))|*", Cell(band: band(outcome.score), grade: nil, accepted: 0, answered: 0)),
                ("*|\(outcome.grade)", Cell(band: nil, grade: outcome.grade, accepted: 0, answered: 0)),
            ] {
                table[key, default: cell].answered += 1
                if outcome.answer == .accepted { table[key]!.accepted += 1 }
            }
        }
        cells = table.values.sorted {
            ($0.band ?? Int.max, $0.grade ?? "~") < ($1.band ?? Int.max, $1.grade ?? "~")
        }
        let days = outcomes.isEmpty ? 1.0 : max(1, (outcomes.map(\.handedOffAt).max()!.timeIntervalSince(outcomes.map(\.handedOffAt).min()!)) / 86_400)
        let perDays = Double(volumeGoal?.perDays ?? 7)
        let bands = Set(answered.map { band($0.score) }).sorted()
        candidates = bands.map { threshold in
            let above = answered.filter { $0.score >= Double(threshold) }
            let made = outcomes.count { $0.score >= Double(threshold) }
            return Candidate(
                threshold: threshold, accepted: above.count { $0.answer == .accepted }, answered: above.count,
                perPeriod: Double(made) / days * perDays)
        }
        let chosen = candidates.first { $0.rate >= target }
        threshold = chosen?.threshold
        meetsVolume = volumeGoal.flatMap { goal in chosen.map { $0.perPeriod >= Double(goal.handOffs) } }
        var counts: [String: Int] = [:]
        for outcome in outcomes where outcome.answer == .rejected { counts[outcome.reason ?? "(none given)", default: 0] += 1 }
        reasons = counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ($0.key, $0.value) }
    }
}

/// Intervals for a rate of successes in trials.
public enum Interval {
    /// The Wilson score interval at 95%: sound for small counts and rates near 0 or 1.
    public static func wilson(successes: Int, trials: Int, z: Double = 1.96) -> ClosedRange<Double> {
        guard trials > 0 else { return 0...1 }
        let n = Double(trials), p = Double(successes) / n
        let centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        let half = z * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot() / (1 + z * z / n)
        return max(0, centre - half)...min(1, centre + half)
    }
}
