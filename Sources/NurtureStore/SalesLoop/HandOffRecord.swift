import Foundation
import NurtureCore

/// A hand-off in the ledger: what the engine decided, who it went to, the deadline from the
/// service level, and how and when the rep answered.
public struct HandOffRecord: Hashable, Sendable, Codable {
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        /// Waiting for the rep's answer.
        case open
        case accepted
        case rejected
        /// Nobody answered within the service level.
        case expired
    }

    public var id: Int64
    public var leadID: String
    public var leadEmail: String
    public var sequence: String?
    public var reason: String
    public var repName: String?
    public var repEmail: String?
    /// Why the hand-off went to its rep when the lifecycle has teams (`owner-away, rotation`);
    /// nil when it was not routed (no teams, or a hand-off to the queue after expiry).
    public var routeReason: String?
    public var score: Double
    public var grade: String
    public var at: Date
    /// When the rep must accept or reject, from the hand-off stage's service level.
    public var due: Date?
    public var status: Status
    /// The lifecycle version whose rules made the hand-off, to settle disputes later.
    public var definitionsVersion: Int?
    public var requestID: Int64?
    public var answeredAt: Date?
    /// The action the rep answered with: `accept`, `reject(not-ready)`.
    public var answer: String?
    /// When the first personal touch is due, once accepted.
    public var touchDue: Date?
    public var touchedAt: Date?
    public var expiredAt: Date?
    public var summary: EngagementSummary?

    /// Past its answer deadline and still unanswered at `now`.
    public func isOverdue(at now: Date) -> Bool { status == .open && (due.map { $0 < now } ?? false) }
}

/// Which hand-offs to list.
public struct HandOffFilter: Sendable {
    public enum Status: String, Sendable, CaseIterable {
        case open, overdue, accepted, rejected, expired
    }

    public var leadID: String?
    public var repEmail: String?
    public var status: Status?
    public var since: Date?
    public var until: Date?
    public var limit: Int

    public init(
        leadID: String? = nil, repEmail: String? = nil, status: Status? = nil, since: Date? = nil, until: Date? = nil,
        limit: Int = 100_000
    ) {
        self.leadID = leadID
        self.repEmail = repEmail
        self.status = status
        self.since = since
        self.until = until
        self.limit = limit
    }
}
