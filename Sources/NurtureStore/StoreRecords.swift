import Foundation
import NurtureCore

/// Something for the engine to apply to a lead at a time: a prospect's event, an enrollment
/// request, or a rep's action. Idempotent by `id` (an event id from the tracking system).
public struct InboxItem: Hashable, Sendable, Codable {
    public enum Payload: Hashable, Sendable, Codable {
        case event(kind: String, category: String?, sequence: String?, step: String?)
        case enroll(sequence: String)
        case repAction(verb: String, reason: String?)
        /// A send the relay never accepted, made by the engine at `sentAt`.
        case undelivered(sentAt: Date)
    }

    public var id: String
    public var leadID: String
    public var at: Date
    public var payload: Payload

    public init(id: String, leadID: String, at: Date, payload: Payload) {
        self.id = id
        self.leadID = leadID
        self.at = at
        self.payload = payload
    }

    /// A request to enroll a lead in a sequence, made at `at`; the time (to the millisecond) in its
    /// id keeps a later request for the same lead and sequence apart from this one.
    public static func enrollment(in sequence: String, leadID: String, at: Date) -> InboxItem {
        InboxItem(
            id: "enroll|\(sequence)|\(leadID)|\(Int64(at.timeIntervalSince1970 * 1000))", leadID: leadID, at: at,
            payload: .enroll(sequence: sequence))
    }

    /// The engine input this item stands for; nil for an event kind the engine does not know.
    public var input: Input? {
        switch payload {
        case let .event(kind, category, sequence, step):
            EngagementEvent.Kind(rawValue: kind).map { .event(EngagementEvent($0, category: category, sequence: sequence, step: step)) }
        case let .enroll(sequence): .enroll(sequence: sequence)
        case let .repAction(verb, reason): .repAction(RepAction(verb, reason: reason))
        case let .undelivered(sentAt): .undelivered(sentAt: sentAt)
        }
    }
}

/// A lead the scheduler has leased for one pass: who it is, what the engine remembers, and what
/// has arrived for it.
public struct ClaimedLead: Sendable {
    public var lead: Lead
    public var state: LeadState?
    public var inbox: [InboxItem]
}

/// A lead as the checks right before sending see it: its fields, what the engine remembers, and
/// whether its address must never be emailed again.
public struct LeadForSending: Sendable {
    public var lead: Lead
    public var state: LeadState?
    public var suppressed: Bool

    public init(lead: Lead, state: LeadState?, suppressed: Bool) {
        self.lead = lead
        self.state = state
        self.suppressed = suppressed
    }
}

/// What one pass decided for a lead, written back in one transaction.
public struct LeadUpdate: Sendable {
    public var leadID: String
    public var state: LeadState
    public var processed: [String]
    public var sends: [QueuedSend]
    public var handOffs: [NewHandOff]
    /// Hand-off notices, notifications and tasks for reps, each to be delivered.
    public var notices: [NewNotice]
    public var suppression: (email: String, reason: String)?
    public var audit: [String]

    public init(
        leadID: String, state: LeadState, processed: [String], sends: [QueuedSend], handOffs: [NewHandOff],
        notices: [NewNotice] = [], suppression: (email: String, reason: String)?, audit: [String]
    ) {
        self.leadID = leadID
        self.state = state
        self.processed = processed
        self.sends = sends
        self.handOffs = handOffs
        self.notices = notices
        self.suppression = suppression
        self.audit = audit
    }
}

/// An email in the outbox. The key (lead, sequence, enrollment, step, attempt series) is unique:
/// queuing the same send twice keeps one row, and the key yields the Message-ID.
public struct QueuedSend: Hashable, Sendable {
    public enum Status: String, Sendable, Codable {
        case pending, sending, sent, failed, cancelled
    }

    public var key: String
    public var leadID: String
    public var sequence: String
    public var step: String
    public var template: String
    public var enrolledAt: Date
    public var dueAt: Date
    public var from: Rep?
    public var replyTo: Rep?
    public var status: Status
    public var attempts: Int
    public var firstAttemptAt: Date?

    /// The idempotency key of a step's email in one enrollment: the same send always has the same
    /// key, and so the same Message-ID.
    public static func key(leadID: String, sequence: String, enrolledAt: Date, step: String) -> String {
        "\(leadID)|\(sequence)|\(Int64(enrolledAt.timeIntervalSince1970 * 1000))|\(step)|1"
    }

    public init(send: Send, leadID: String) {
        key = Self.key(leadID: leadID, sequence: send.sequence, enrolledAt: send.enrolledAt, step: send.step)
        self.leadID = leadID
        sequence = send.sequence
        step = send.step
        template = send.template
        enrolledAt = send.enrolledAt
        dueAt = send.at
        from = send.from
        replyTo = send.replyTo
        status = .pending
        attempts = 0
        firstAttemptAt = nil
    }

    init(
        key: String, leadID: String, sequence: String, step: String, template: String, enrolledAt: Date, dueAt: Date,
        from: Rep?, replyTo: Rep?, status: Status, attempts: Int, firstAttemptAt: Date?
    ) {
        self.key = key
        self.leadID = leadID
        self.sequence = sequence
        self.step = step
        self.template = template
        self.enrolledAt = enrolledAt
        self.dueAt = dueAt
        self.from = from
        self.replyTo = replyTo
        self.status = status
        self.attempts = attempts
        self.firstAttemptAt = firstAttemptAt
    }
}

/// How a send attempt ended, to be recorded.
public enum SendOutcome: Sendable {
    case sent(messageID: String, code: Int, text: String)
    /// Try again at `retryAt`.
    case retry(at: Date, code: Int, text: String)
    /// Not now and not an attempt (outside the send window): wait until `at`.
    case deferred(until: Date, reason: String)
    case failed(code: Int, text: String, suppress: Bool)
    /// Not sent, and never will be (suppressed, the enrollment ended).
    case cancelled(reason: String)
}

/// What `nurture status` shows.
public struct QueueStatus: Sendable, Codable {
    public var leads: Int
    public var queued: Int
    public var dueNow: Int
    public var sentToday: Int
    public var failed: Int
    public var failedToday: Int
    public var oldestOverdue: Date?
    public var suppressed: Int
    public var handOffs: Int
    public var openHandOffs: Int
    public var overdueHandOffs: Int
    /// Notices to reps not yet delivered (waiting, retrying or failed).
    public var undeliveredNotices: Int
    public var failedNotices: Int
    public var openRequests: Int
    /// Every send the store holds, by its status (pending, sending, sent, failed, cancelled...).
    public var sends: [String: Int]
    /// Paced enrolment requests whose start is still ahead, and the last of those starts.
    public var pacedEnrollments: Int
    public var lastPacedStart: Date?
}
