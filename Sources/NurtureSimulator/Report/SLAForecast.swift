import Foundation
import NurtureCore
import NurturePersonas

/// The service-level forecast of a dry-run with a `reps:` section, on both sides of the promise
/// and in the SLA ledger's terms (docs/sales-loop.md): marketing's hand-offs delivered against the
/// `volume:` goal and the share accepted; the reps' answers, their times, and the share of each
/// promise kept; and the leads rejections sent back into nurture.
public struct SLAForecast: Codable, Sendable {
    public struct Marketing: Codable, Sendable {
        /// Hand-offs delivered, counting those requeued on expiry, as the ledger counts records.
        public var delivered: Int
        /// `volume:` scaled to the run's days as the ledger scales it to a period; nil without one.
        public var goal: Int?
        /// The goal as `lifecycle.yml` states it: "40 hand-offs a week".
        public var goalAgreed: String?
        /// Accepted among answered (accepted or rejected).
        public var acceptedShare: Proportion
    }

    public struct Reps: Codable, Sendable {
        public var handOffs: Int
        public var accepted: Int
        public var rejected: Int
        public var expired: Int
        /// Not answered by the end of the run, and not yet due.
        public var open: Int
        public var requeued: Int
        /// Hours from hand-off to answer (elapsed, as the ledger measures them); nil without answers.
        public var hoursToAnswerMedian: Double?
        public var hoursToAnswerP90: Double?
        /// Hours from hand-off to first touch; nil without touches.
        public var hoursToTouchMedian: Double?
        public var hoursToTouchP90: Double?
        public var touched: Int
    }

    public struct Grade: Codable, Sendable {
        public var grade: String
        public var handOffs: Int
        public var accepted: Int
        public var rejected: Int
        /// Accepted among answered.
        public var acceptanceRate: Proportion
    }

    public struct Reason: Codable, Sendable {
        public var reason: String
        /// Share of rejections.
        public var share: Proportion
    }

    /// One promise of a service level, and how often it was kept.
    public struct Promise: Codable, Sendable {
        /// The ledger's name for it: "answer the hand-off" or "first touch".
        public var promise: String
        public var stage: String
        public var within: String
        /// Kept among those due: answered or expired for an answer; touched or past the touch
        /// deadline for a first touch.
        public var kept: Proportion
    }

    public struct Recycled: Codable, Sendable {
        /// Prospects a rejection or expiry moved back to a marketing stage.
        public var leads: Int
        /// Of those, prospects the move enrolled in a sequence.
        public var reenrolled: Int
        /// Of those, prospects handed off again before the end of the run.
        public var handedOffAgain: Proportion
        /// Emails sent by sequences other than the simulated one.
        public var emails: Int
    }

    public var marketing: Marketing
    public var reps: Reps
    public var byGrade: [Grade]
    public var rejectionReasons: [Reason]
    public var promises: [Promise]
    public var recycled: Recycled
    /// What `on_expiry` does to a hand-off nobody answered in time.
    public var onExpiry: String

    public init(counts: SLACounts, behaviour: RepBehaviour, setup: SimulationSetup) {
        let lifecycle = setup.definitions.lifecycle
        var goal: Int?, agreed: String?
        if let volume = lifecycle.volumeGoal {
            // As `SLALedger` scales it to its period.
            goal = Int((Double(volume.handOffs) * Double(setup.days) / (volume.per == .week ? 7 : 30.4375)).rounded())
            agreed = "\(volume.handOffs) hand-offs a \(volume.per.rawValue)"
        }
        let answered = counts.accepted + counts.rejected
        marketing = Marketing(
            delivered: counts.handOffs, goal: goal, goalAgreed: agreed, acceptedShare: Proportion(counts.accepted, of: answered))
        func hours(_ q: Double, _ histogram: [Int]) -> Double? {
            SimulationReport.quantile(q, of: histogram).map { $0 / Double(SLACounts.bucketsPerHour) }
        }
        reps = Reps(
            handOffs: counts.handOffs, accepted: counts.accepted, rejected: counts.rejected, expired: counts.expired,
            open: counts.open, requeued: counts.requeued, hoursToAnswerMedian: hours(0.5, counts.answerTenths),
            hoursToAnswerP90: hours(0.9, counts.answerTenths), hoursToTouchMedian: hours(0.5, counts.touchTenths),
            hoursToTouchP90: hours(0.9, counts.touchTenths), touched: counts.touched)
        let grades = setup.definitions.scoring.grades.map(\.name) + ["other"]
        byGrade = grades.indices.compactMap { index in
            // The bucket for grades outside the scoring model shows only when it has hand-offs.
            guard index < grades.count - 1 || counts.gradeHandOffs[index] > 0 else { return nil }
            let accepted = counts.gradeAccepted[index], rejected = counts.gradeRejected[index]
            return Grade(grade: grades[index], handOffs: counts.gradeHandOffs[index], accepted: accepted, rejected: rejected,
                         acceptanceRate: Proportion(accepted, of: accepted + rejected))
        }
        rejectionReasons = zip(behaviour.rejectionReasons.values, counts.reasons).map { reason, count in
            Reason(reason: reason, share: Proportion(count, of: counts.rejected))
        }
        var promises: [Promise] = []
        if let level = lifecycle.serviceLevel(for: lifecycle.handoffStage) {
            promises.append(Promise(promise: "answer the hand-off", stage: level.stage, within: level.within.description,
                                    kept: Proportion(counts.answeredInTime, of: counts.answerDue)))
        }
        let accepted = lifecycle.transitions.first { $0.matches(RepAction("accept")) && $0.starts(from: lifecycle.handoffStage) }?.to
        if let level = accepted.flatMap({ lifecycle.serviceLevel(for: $0) }) {
            promises.append(Promise(promise: "first touch", stage: level.stage, within: level.within.description,
                                    kept: Proportion(counts.touchedInTime, of: counts.touchDue)))
        }
        self.promises = promises
        recycled = Recycled(
            leads: counts.recycledLeads, reenrolled: counts.reenrolledLeads,
            handedOffAgain: Proportion(counts.returnedLeads, of: counts.recycledLeads), emails: counts.otherSequenceEmails)
        onExpiry = switch lifecycle.handOffExpiry {
        case .recordOnly: "recorded as a breach; the lead stays where it is"
        case let .action(action): "\(action) on the rep's behalf"
        case .queue: "handed again to the default owner's queue"
        }
    }
}
