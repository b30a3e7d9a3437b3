import NurtureCore

/// How the sales team answers hand-offs, for the dry-run's SLA forecast (`reps:` in a persona
/// file): how likely a rep is to accept a lead of each fit grade, how many business hours the
/// answer and the first touch take, and why rejected leads are rejected.
public struct RepBehaviour: Sendable {
    /// Acceptance probability by fit grade.
    public var acceptance: [String: Double]
    /// For grades `acceptance` does not list; nil when every grade must be listed.
    public var defaultAcceptance: Double?
    /// Business hours (as seconds) from hand-off to accept or reject.
    public var timeToAnswer: LogNormalDelay
    /// Business hours (as seconds) from acceptance to the first personal touch.
    public var timeToFirstTouch: LogNormalDelay
    /// Rejection reasons (`not-ready`, `bad-fit`), weighted by their share of rejections.
    public var rejectionReasons: Mix<String>

    /// The longest median a rep delay may have: 500 business hours, three months of 40-hour weeks.
    /// A slower answer is no service level anyone agreed, and more likely a typo in the unit.
    public static let longestMedianSeconds = 500.0 * 3600

    public init(
        acceptance: [String: Double], defaultAcceptance: Double? = nil, timeToAnswer: LogNormalDelay,
        timeToFirstTouch: LogNormalDelay, rejectionReasons: Mix<String>
    ) {
        self.acceptance = acceptance
        self.defaultAcceptance = defaultAcceptance
        self.timeToAnswer = timeToAnswer
        self.timeToFirstTouch = timeToFirstTouch
        self.rejectionReasons = rejectionReasons
    }

    /// The probability that a rep accepts a lead of `grade`; nil for a grade neither listed nor
    /// covered by a default.
    public func acceptance(grade: String) -> Double? { acceptance[grade] ?? defaultAcceptance }
}
