import Foundation
import NurtureMail

/// How the scheduler works a store: batch sizes, leases, retries, and what goes into every message.
public struct SchedulerConfiguration: Sendable {
    /// Leads run through the engine per pass.
    public var leadBatch = 500
    /// Sends claimed per pass (fewer when the relay's rate limit could not send them within half
    /// their lease). Larger batches leave fewer gaps between passes.
    public var sendBatch = 500
    /// How long a claim holds before another process may take the work over.
    public var leadLease: TimeInterval = 120
    public var sendLease: TimeInterval = 300
    public var retry = RetryPolicy()
    /// Longest sleep between passes when nothing is due (new inbox items are picked up then).
    public var idlePoll: TimeInterval = 5
    public var unsubscribe: UnsubscribeLinks
    /// Where tracked links and open pixels point, for sequences with `tracking: true`.
    public var tracking: TrackingLinks?
    /// Domain for Message-IDs when the sender's own cannot be used.
    public var messageDomain: String?
    /// The secret rep-notice webhooks are signed with (from the environment, never the definitions);
    /// required when the lifecycle names a webhook.
    public var webhookSecret: [UInt8]?

    public init(unsubscribe: UnsubscribeLinks, messageDomain: String? = nil) {
        self.unsubscribe = unsubscribe
        self.messageDomain = messageDomain
    }
}

/// What one pass did.
public struct PassSummary: Sendable, Equatable, CustomStringConvertible {
    public var leads = 0
    public var queued = 0
    public var rescued = 0
    public var sent = 0
    public var retried = 0
    public var failed = 0
    public var cancelled = 0
    public var deferred = 0
    public var handOffs = 0
    /// Rep notices delivered (hand-offs, notifications, tasks).
    public var notices = 0
    /// Hand-offs that expired unanswered.
    public var expired = 0

    public init() {}

    /// Adds another summary's counts to this one.
    public mutating func add(_ other: PassSummary) {
        leads += other.leads
        queued += other.queued
        rescued += other.rescued
        sent += other.sent
        retried += other.retried
        failed += other.failed
        cancelled += other.cancelled
        deferred += other.deferred
        handOffs += other.handOffs
        notices += other.notices
        expired += other.expired
    }

    /// Whether the pass found anything to do (so the next may follow at once).
    public var didWork: Bool { leads + queued + rescued + sent + retried + failed + cancelled + notices + expired > 0 }

    public var description: String {
        "leads \(leads), queued \(queued), sent \(sent), retried \(retried), failed \(failed), cancelled \(cancelled), deferred \(deferred), rescued \(rescued), hand-offs \(handOffs), notices \(notices), expired \(expired)"
    }
}
