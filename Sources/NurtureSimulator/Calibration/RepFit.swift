import Foundation
import NurtureCore

/// How sales answered the recorded hand-offs, fitted as the persona file's `reps:` section:
/// acceptance by fit grade, the business hours to an answer and to the first touch, and the shares
/// of the rejection reasons.
///
/// - Acceptance is the share accepted among answered hand-offs (accepted or rejected), with a
///   Wilson interval. Expired and open hand-offs are left out: nobody decided on them, so they say
///   nothing of whether the rep would have accepted. The dry-run expires hand-offs by its own
///   deadline, from the time to answer.
/// - Times are log-normal, fitted by maximum likelihood on the log of the business hours (the
///   lifecycle's `business_hours`, counted as the service-level deadlines count them): the median
///   is the exponential of the mean log, the spread the standard deviation of the logs. Time to
///   answer runs from the hand-off to the answer, time to first touch from the acceptance to the
///   touch. Only answered (touched) hand-offs count: an expired one only says the answer came after
///   its deadline, so when many expire the fitted time understates the slow tail (the report shows
///   the expired share beside it). A time under a minute (an answer outside business hours) counts
///   as a minute, the smallest the persona file holds.
/// - Rejection reasons are shares of the rejections that give one.
///
/// A measure with fewer outcomes than its minimum is left out of the section, not guessed.
public struct RepFit: Sendable {
    /// Answered hand-offs needed for a grade's acceptance (or the default), times for a
    /// distribution, and rejections with a reason for the shares.
    public static let minimumAnswered = 20
    public static let minimumTimes = 10
    public static let minimumReasons = 10
    /// The shortest time fitted, in hours: a minute.
    static let shortestHours = 1.0 / 60

    public struct Acceptance: Sendable, Hashable {
        /// Nil for all grades together: the `default`.
        public var grade: String?
        public var accepted: Int
        public var answered: Int
        public var rate: Double { answered == 0 ? 0 : Double(accepted) / Double(answered) }
        public var interval: ClosedRange<Double> { Interval.wilson(successes: accepted, trials: answered) }
    }

    /// A log-normal time in business hours, and the record's quantiles against it.
    public struct Duration: Sendable, Hashable {
        public var count: Int
        /// Mean and standard deviation (maximum likelihood, over n) of the log hours.
        public var meanLog: Double
        public var spread: Double
        public var medianHours: Double { exp(meanLog) }
        public var medianInterval: ClosedRange<Double>
        public var spreadInterval: ClosedRange<Double>
        /// The record's median and 90th percentile, each with its distribution-free 95% interval
        /// (from the order statistics), against the fitted model's.
        public var quantiles: [Quantile]
    }

    public struct Quantile: Sendable, Hashable {
        public var q: Double
        public var recorded: Double
        public var interval: ClosedRange<Double>
        public var model: Double
        public var fits: Bool { interval.contains(model) }
    }

    public struct Reason: Sendable, Hashable {
        public var reason: String
        public var count: Int
        public var of: Int
        public var share: Double { Double(count) / Double(of) }
        public var interval: ClosedRange<Double> { Interval.wilson(successes: count, trials: of) }
    }

    public var handOffs: Int
    public var expired: Int
    public var open: Int
    /// Grades with enough answers, in order; the pooled acceptance of every grade as the default.
    public var byGrade: [Acceptance]
    public var pooled: Acceptance?
    public var timeToAnswer: Duration?
    public var timeToFirstTouch: Duration?
    /// Empty when too few rejections give a reason.
    public var reasons: [Reason]
    /// What was left out of the section for too few outcomes, in words.
    public var leftOut: [String]

    public init(_ outcomes: [RecordedOutcome], businessHours: SendWindow) {
        handOffs = outcomes.count
        expired = outcomes.count { $0.answer == .expired }
        open = outcomes.count { $0.answer == .open }
        let answered = outcomes.filter { $0.answer == .accepted || $0.answer == .rejected }
        var leftOut: [String] = []

        var grades: [String: Acceptance] = [:]
        for outcome in answered {
            grades[outcome.grade, default: Acceptance(grade: outcome.grade, accepted: 0, answered: 0)].answered += 1
            if outcome.answer == .accepted { grades[outcome.grade]!.accepted += 1 }
        }
        byGrade = grades.values.filter { $0.answered >= Self.minimumAnswered }.sorted { $0.grade! < $1.grade! }
        for cell in grades.values.filter({ $0.answered < Self.minimumAnswered }).sorted(by: { $0.grade! < $1.grade! }) {
            leftOut.append("acceptance of grade \(cell.grade!): \(cell.answered) answered, fewer than \(Self.minimumAnswered); it takes the default")
        }
        let all = Acceptance(grade: nil, accepted: answered.count { $0.answer == .accepted }, answered: answered.count)
        pooled = all.answered >= Self.minimumAnswered ? all : nil
        if pooled == nil { leftOut.append("acceptance: \(all.answered) answered, fewer than \(Self.minimumAnswered)") }

        func hours(_ from: Date, _ to: Date) -> Double {
            max(Self.shortestHours, businessHours.windowSeconds(from: from, to: to, leadZone: nil) / 3600)
        }
        let answerHours = answered.compactMap { outcome in outcome.answeredAt.map { hours(outcome.handedOffAt, $0) } }
        let touchHours = answered.compactMap { outcome -> Double? in
            guard outcome.answer == .accepted, let accepted = outcome.answeredAt, let touched = outcome.touchedAt else { return nil }
            return hours(accepted, touched)
        }
        timeToAnswer = Self.duration(answerHours)
        if timeToAnswer == nil { leftOut.append("time to answer: \(answerHours.count) answers with a time, fewer than \(Self.minimumTimes)") }
        timeToFirstTouch = Self.duration(touchHours)
        if timeToFirstTouch == nil {
            leftOut.append("time to first touch: \(touchHours.count) accepted hand-offs with an answer and a touch time, fewer than \(Self.minimumTimes)")
        }

        var counts: [String: Int] = [:]
        for outcome in answered where outcome.answer == .rejected { if let reason = outcome.reason { counts[reason, default: 0] += 1 } }
        let given = counts.values.reduce(0, +)
        reasons = given < Self.minimumReasons ? [] : counts
            .sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            .map { Reason(reason: $0.key, count: $0.value, of: given) }
        if reasons.isEmpty { leftOut.append("rejection reasons: \(given) rejections with a reason, fewer than \(Self.minimumReasons)") }
        self.leftOut = leftOut
    }

    /// Whether there is anything to write.
    public var isEmpty: Bool { pooled == nil && byGrade.isEmpty && timeToAnswer == nil && timeToFirstTouch == nil && reasons.isEmpty }

    /// The maximum-likelihood log-normal of `hours`, with 95% intervals: the median's from the mean
    /// log's standard error, the spread's from the chi-squared approximation σ·exp(±1.96/√(2(n−1))).
    static func duration(_ hours: [Double]) -> Duration? {
        guard hours.count >= minimumTimes else { return nil }
        // Summed in sorted order, so that the same outcomes in any order give the same fit.
        let sorted = hours.sorted()
        let logs = sorted.map { log($0) }
        let n = Double(logs.count)
        let mean = logs.reduce(0, +) / n
        let sd = (logs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
        let error = sd / n.squareRoot()
        let spreadFactor = exp(1.96 / (2 * (n - 1)).squareRoot())
        let quantiles = [(0.5, 0.0), (0.9, 1.2816)].map { q, z in
            // Ranks n·q ± 1.96·√(n·q·(1−q)) bound the quantile whatever the distribution.
            let half = 1.96 * (n * q * (1 - q)).squareRoot()
            func at(_ rank: Double) -> Double { sorted[min(sorted.count - 1, max(0, Int(rank.rounded(.up)) - 1))] }
            return Quantile(q: q, recorded: at(n * q), interval: at(n * q - half)...at(n * q + half), model: exp(mean + z * sd))
        }
        return Duration(
            count: hours.count, meanLog: mean, spread: sd,
            medianInterval: exp(mean - 1.96 * error)...exp(mean + 1.96 * error),
            spreadInterval: sd / spreadFactor...sd * spreadFactor, quantiles: quantiles)
    }

    /// The `reps:` section of a persona file, in the format the persona loader reads.
    public var yamlLines: [String] {
        guard !isEmpty else { return [] }
        var lines = ["reps:"]
        if !byGrade.isEmpty || pooled != nil {
            lines.append("  acceptance:")
            for cell in byGrade { lines.append("    \(Self.key(cell.grade!)): \(PersonaFile.number(cell.rate))") }
            if let pooled { lines.append("    default: \(PersonaFile.number(pooled.rate))") }
        }
        if let timeToAnswer { lines.append("  time_to_answer: \(Self.flow(timeToAnswer))") }
        if let timeToFirstTouch { lines.append("  time_to_first_touch: \(Self.flow(timeToFirstTouch))") }
        if !reasons.isEmpty {
            lines.append("  rejection_reasons: {" + reasons.map { "\(Self.key($0.reason)): \(PersonaFile.number($0.share))" }.joined(separator: ", ") + "}")
        }
        return lines
    }

    static func flow(_ duration: Duration) -> String {
        "{median: \(hoursText(duration.medianHours)), spread: \(PersonaFile.number(duration.spread))}"
    }

    /// Business hours in whole minutes, as `3h`, `2h30m` or `45m` (never days: a business day is
    /// not 24 hours); at least a minute.
    static func hoursText(_ hours: Double) -> String {
        let minutes = max(1, Int((hours * 60).rounded()))
        let (h, m) = (minutes / 60, minutes % 60)
        return h == 0 ? "\(m)m" : m == 0 ? "\(h)h" : "\(h)h\(m)m"
    }

    /// A grade or reason as a YAML key: plain when it is a simple word YAML reads as a string,
    /// quoted otherwise.
    static func key(_ text: String) -> String {
        let simple = text.first.map { $0.isASCII && $0.isLetter } == true
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
            && !["y", "n", "yes", "no", "true", "false", "on", "off", "null"].contains(text.lowercased())
        return simple ? text : PersonaFile.quoted(text)
    }
}
