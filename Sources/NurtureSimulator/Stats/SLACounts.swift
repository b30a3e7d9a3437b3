/// What the reps did with a run's hand-offs, counted the way the SLA ledger counts a period (see
/// docs/sales-loop.md), as plain integers and histograms so that chunks merge to the same totals
/// in any order.
///
/// Every hand-off ends the run in exactly one of accepted, rejected, expired or open:
/// `handOffs == accepted + rejected + expired + open`.
public struct SLACounts: Sendable, Equatable {
    /// Hand-offs delivered: the engine's, and those the default owner's queue received on expiry.
    public var handOffs = 0
    /// Hand-offs handed again to the default owner's queue after their rep let them expire.
    public var requeued = 0
    public var accepted = 0
    public var rejected = 0
    /// Not answered by their due time (the hand-off desk expires them then).
    public var expired = 0
    /// Not answered by the horizon, and not yet due.
    public var open = 0
    /// By grade, in the scoring model's order, the last entry for any other grade.
    public var gradeHandOffs: [Int]
    public var gradeAccepted: [Int]
    public var gradeRejected: [Int]
    /// Rejections by reason, in the order of the `reps:` section's reasons.
    public var reasons: [Int]
    /// Answers (accept or reject) by tenths of an hour from the hand-off, elapsed time as the
    /// ledger measures it; the last bucket collects the rest.
    public var answerTenths: [Int]
    /// Hand-offs with a due time that were answered or expired, and those answered by it.
    public var answerDue = 0
    public var answeredInTime = 0
    /// First touches by tenths of an hour from the hand-off.
    public var touchTenths: [Int]
    public var touched = 0
    /// Accepted hand-offs with a touch deadline that were touched or whose deadline passed, and
    /// those touched by it.
    public var touchDue = 0
    public var touchedInTime = 0
    /// Prospects a rejection or expiry moved back to a marketing stage, those the move enrolled in
    /// a sequence, and those handed off again afterwards.
    public var recycledLeads = 0
    public var reenrolledLeads = 0
    public var returnedLeads = 0
    /// Emails sent by sequences other than the simulated one (those the lifecycle moved leads into).
    public var otherSequenceEmails = 0

    /// Ten buckets an hour: fine enough for a median of a few hours, and still whole numbers.
    public static let bucketsPerHour = 10
    /// The histograms reach 90 days (2,160 hours) at most, whatever the run's length: past the
    /// longest median `reps:` allows (500 business hours, about 2,100 elapsed), and small enough
    /// that a year-long run does not give each worker megabytes of buckets.
    public static let longestHours = 90 * 24

    public init(days: Int, grades: Int, reasons: Int) {
        gradeHandOffs = [Int](repeating: 0, count: grades + 1)
        gradeAccepted = gradeHandOffs
        gradeRejected = gradeHandOffs
        self.reasons = [Int](repeating: 0, count: reasons)
        answerTenths = [Int](repeating: 0, count: min(max(1, days) * 24, Self.longestHours) * Self.bucketsPerHour + 1)
        touchTenths = answerTenths
    }

    /// The bucket of `seconds` in `answerTenths` and `touchTenths`.
    func bucket(seconds: Double) -> Int {
        min(max(0, Int(seconds / 3600 * Double(Self.bucketsPerHour))), answerTenths.count - 1)
    }

    public mutating func merge(_ other: SLACounts) {
        handOffs += other.handOffs
        requeued += other.requeued
        accepted += other.accepted
        rejected += other.rejected
        expired += other.expired
        open += other.open
        gradeHandOffs.add(other.gradeHandOffs)
        gradeAccepted.add(other.gradeAccepted)
        gradeRejected.add(other.gradeRejected)
        reasons.add(other.reasons)
        answerTenths.add(other.answerTenths)
        answerDue += other.answerDue
        answeredInTime += other.answeredInTime
        touchTenths.add(other.touchTenths)
        touched += other.touched
        touchDue += other.touchDue
        touchedInTime += other.touchedInTime
        recycledLeads += other.recycledLeads
        reenrolledLeads += other.reenrolledLeads
        returnedLeads += other.returnedLeads
        otherSequenceEmails += other.otherSequenceEmails
    }
}
