import Foundation
import NurtureCore

/// Persistence for the sales side of the loop: the hand-off ledger, rep notices, rep-requested
/// nurtures and rep actions. The SQLite store implements it; a PostgreSQL store implements the
/// same calls, with notice claims by `FOR UPDATE SKIP LOCKED` as for sends.
///
/// Every call that records a rep's answer also queues its engine input in the same transaction:
/// the ledger and the lead's lifecycle never disagree about what the rep said.
public protocol SalesLoopStore: SchedulerStore {
    /// A lead's id from its id or email.
    func leadID(for reference: String) throws -> String?
    func lead(_ id: String) throws -> (Lead, LeadState?)?
    /// Every lead with its engine state, read in pages so memory stays flat.
    func forEachLead(_ body: (Lead, LeadState?) throws -> Void) throws
    /// The emails sent to a lead and the events recorded for it up to `now`.
    func history(of leadID: String, upTo now: Date) throws -> LeadHistory

    /// A one-click unsubscribe: the address goes on the suppression list at once (so no send goes
    /// out after it, whatever the engine has queued) and the event is queued for the engine, in one
    /// transaction. Idempotent by message. False when the lead no longer exists.
    func recordUnsubscribe(leadID: String, messageKey: String, at: Date) throws -> Bool

    // MARK: Hand-offs
    func handOffs(_ filter: HandOffFilter, now: Date) throws -> [HandOffRecord]
    func handOff(_ id: Int64) throws -> HandOffRecord?
    /// Records the rep's accept or reject, and queues the action for the engine when it moves the lead.
    func answer(_ id: Int64, with action: RepAction, accepted: Bool, touchDue: Date?, movesLead: Bool, at: Date, source: String) throws
    /// Records the first personal touch (later touches keep the first).
    func touch(_ id: Int64, at: Date) throws
    /// Records an outcome (qualify, won, lost...) and queues it for the engine.
    func recordAction(_ action: RepAction, leadID: String, handOffID: Int64?, at: Date, source: String) throws
    /// Whether this action was recorded for the lead at this instant already (an export ingested twice).
    func hasRecorded(_ action: RepAction, leadID: String, at: Date) throws -> Bool
    /// Marks the open hand-offs whose answer deadline is `now` or earlier as expired, and returns them.
    func expireHandOffs(now: Date) throws -> [HandOffRecord]
    /// Hand-offs made outside an engine pass (an expired hand-off sent to the queue), with their notices.
    func addHandOffs(_ handOffs: [NewHandOff], notices: [NewNotice], leadID: String, at: Date) throws

    // MARK: Notices
    func rescueExpiredNotices(now: Date) throws -> Int
    func claimDueNotices(now: Date, limit: Int, leaseUntil: Date) throws -> [RepNotice]
    func record(_ outcome: SendOutcome, forNotice key: String, now: Date) throws

    // MARK: Requests
    /// Records a request, updates the lead's owner when it changes, and queues the enrollment.
    func addRequest(
        leadID: String, sequence: String, rep: Rep, note: String?, until: Date?, newOwner: Lead?, at: Date
    ) throws -> Int64
    func requests(leadID: String?, repEmail: String?, since: Date?, until: Date?) throws -> [NurtureRequest]
    func request(_ id: Int64) throws -> NurtureRequest?
    func cancelRequest(_ id: Int64, at: Date) throws
    /// Open requests whose end date passed without a hand-back become unused.
    func closeLapsedRequests(now: Date) throws -> Int

    /// Emails each sender (by lowercased address) had sent since `since`: the rolling send cap.
    func sentCounts(senders: [String], since: Date) throws -> [String: Int]
}
