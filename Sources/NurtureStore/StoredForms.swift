import Foundation
import NurtureCore

/// The bytes and rows every store back end keeps, for a back end in another module (PostgreSQL):
/// profiles, engine states and people in the same compact form as the SQLite file, so a store
/// copied from one to the other holds the same bytes, and records built from stored columns.
public enum StoredForms {
    public static func profile(_ lead: Lead) -> Data { StoredBlob.encode(LeadProfile(lead)) }
    public static func lead(fromProfile blob: Data) throws -> Lead { try StoredBlob.decode(LeadProfile.self, from: blob).lead }
    public static func state(_ state: LeadState) -> Data { StoredBlob.encode(state) }
    public static func state(from blob: Data) throws -> LeadState { try StoredBlob.decode(LeadState.self, from: blob) }
    public static func person(_ rep: Rep) -> Data { StoredBlob.encode(LeadProfile.Person(rep)) }
    public static func rep(from blob: Data) throws -> Rep { try StoredBlob.decode(LeadProfile.Person.self, from: blob).rep }
    /// The audit line's text for a send or notice outcome, as the SQLite store writes it.
    public static func auditText(_ outcome: SendOutcome) -> String { SQLiteStore.auditText(outcome) }
    /// JSON with sorted keys, for hand-off summaries and notice details.
    public static var summaryEncoder: JSONEncoder { SQLiteStore.summaryEncoder }
    /// The inbox payload as stored (JSON: written once, read once, readable in the store).
    public static func payload(_ payload: InboxItem.Payload) throws -> Data { try JSONEncoder().encode(payload) }
    public static func payload(from data: Data) throws -> InboxItem.Payload { try JSONDecoder().decode(InboxItem.Payload.self, from: data) }
}

extension QueuedSend {
    /// A send as read back from its stored row.
    public static func stored(
        key: String, leadID: String, sequence: String, step: String, template: String, enrolledAt: Date, dueAt: Date,
        from: Rep?, replyTo: Rep?, status: Status, attempts: Int, firstAttemptAt: Date?
    ) -> QueuedSend {
        QueuedSend(
            key: key, leadID: leadID, sequence: sequence, step: step, template: template, enrolledAt: enrolledAt, dueAt: dueAt,
            from: from, replyTo: replyTo, status: status, attempts: attempts, firstAttemptAt: firstAttemptAt)
    }
}

extension RepNotice {
    /// A notice as read back from its stored row.
    public static func stored(
        key: String, leadID: String, kind: Kind, channel: Channel, handOffID: Int64?, repName: String?, repEmail: String,
        detail: Detail, attempts: Int, firstAttemptAt: Date?
    ) -> RepNotice {
        RepNotice(
            key: key, leadID: leadID, kind: kind, channel: channel, handOffID: handOffID, repName: repName, repEmail: repEmail,
            detail: detail, attempts: attempts, firstAttemptAt: firstAttemptAt)
    }
}

extension NurtureRequest {
    /// A request as read back from its stored row.
    public static func stored(
        id: Int64, leadID: String, sequence: String, repName: String, repEmail: String, note: String?, until: Date?,
        status: Status, createdAt: Date, handOffID: Int64?, closedAt: Date?
    ) -> NurtureRequest {
        NurtureRequest(
            id: id, leadID: leadID, sequence: sequence, repName: repName, repEmail: repEmail, note: note, until: until,
            status: status, createdAt: createdAt, handOffID: handOffID, closedAt: closedAt)
    }
}

extension HandOffRecord {
    /// A hand-off as read back from its stored row.
    public static func stored(
        id: Int64, leadID: String, leadEmail: String, sequence: String?, reason: String, repName: String?, repEmail: String?,
        score: Double, grade: String, at: Date, due: Date?, status: Status, definitionsVersion: Int?, requestID: Int64?,
        answeredAt: Date?, answer: String?, touchDue: Date?, touchedAt: Date?, expiredAt: Date?, summary: EngagementSummary?,
        routeReason: String?
    ) -> HandOffRecord {
        HandOffRecord(
            id: id, leadID: leadID, leadEmail: leadEmail, sequence: sequence, reason: reason, repName: repName, repEmail: repEmail,
            routeReason: routeReason, score: score, grade: grade, at: at, due: due, status: status,
            definitionsVersion: definitionsVersion, requestID: requestID,
            answeredAt: answeredAt, answer: answer, touchDue: touchDue, touchedAt: touchedAt, expiredAt: expiredAt, summary: summary)
    }
}

extension ClaimedLead {
    /// A claimed lead as read back from its stored row and inbox.
    public static func stored(lead: Lead, state: LeadState?, inbox: [InboxItem]) -> ClaimedLead {
        ClaimedLead(lead: lead, state: state, inbox: inbox)
    }
}

extension QueueStatus {
    /// What `status` shows, as counted by a store.
    public static func counted(
        leads: Int, queued: Int, dueNow: Int, sentToday: Int, failed: Int, failedToday: Int, oldestOverdue: Date?, suppressed: Int,
        handOffs: Int, openHandOffs: Int, overdueHandOffs: Int, undeliveredNotices: Int, failedNotices: Int, openRequests: Int,
        sends: [String: Int], pacedEnrollments: Int, lastPacedStart: Date?
    ) -> QueueStatus {
        QueueStatus(
            leads: leads, queued: queued, dueNow: dueNow, sentToday: sentToday, failed: failed, failedToday: failedToday,
            oldestOverdue: oldestOverdue, suppressed: suppressed, handOffs: handOffs, openHandOffs: openHandOffs,
            overdueHandOffs: overdueHandOffs, undeliveredNotices: undeliveredNotices, failedNotices: failedNotices,
            openRequests: openRequests, sends: sends, pacedEnrollments: pacedEnrollments, lastPacedStart: lastPacedStart)
    }
}

extension TrackedMessage {
    /// What a store knows of a tracked message, for the classifier.
    public static func known(deliveredAt: Date?, linkCount: Int, recentClicks: [(link: Int, at: Date)]) -> TrackedMessage {
        TrackedMessage(deliveredAt: deliveredAt, linkCount: linkCount, recentClicks: recentClicks)
    }
}

extension RepActionRecord {
    /// A rep action as read back from its stored row.
    public static func stored(
        id: Int64, leadID: String, handOffID: Int64?, action: String, at: Date, source: String, value: DealValue?
    ) -> RepActionRecord {
        RepActionRecord(id: id, leadID: leadID, handOffID: handOffID, action: action, at: at, source: source, value: value)
    }
}

extension StoredLead {
    /// A lead as read from its stored row (profile and state still encoded) and its unprocessed inbox.
    public static func stored(id: String, profile: Data, state: Data?, inbox: [InboxItem]) -> StoredLead {
        StoredLead(id: id, profile: profile, state: state, inbox: inbox)
    }
}

extension HistoryEntry {
    /// A fact of a lead's history as read back from the store.
    public static func stored(leadID: String, at: Date, type: String, category: String? = nil, step: String? = nil) -> HistoryEntry {
        HistoryEntry(leadID: leadID, at: at, type: type, category: category, step: step)
    }
}
