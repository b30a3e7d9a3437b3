import Foundation
import NurtureCore

/// Persistence for the scheduler. The SQLite store is the default; a PostgreSQL store can claim
/// with `FOR UPDATE SKIP LOCKED` behind the same calls, so several schedulers on several machines
/// share one workload without changing the scheduler.
///
/// Claims are leases: a claimed lead or send belongs to its claimer until `leaseUntil`, after which
/// another pass may take it again. Nothing is lost when a process dies holding a lease.
public protocol SchedulerStore: Sendable {
    /// Adds or updates leads by id (re-importing a file updates instead of duplicating).
    /// Returns how many were new.
    func upsert(_ leads: [Lead]) throws -> Int

    /// Adds inbox items; items whose id is already known are ignored. Returns how many were new.
    func append(_ items: [InboxItem]) throws -> Int

    /// Leases up to `limit` leads that are due (a wake-up or an inbox item at or before `now`).
    func claimDueLeads(now: Date, limit: Int, leaseUntil: Date) throws -> [ClaimedLead]

    /// Writes back what a pass decided for its leads, and releases their leases.
    func commit(_ updates: [LeadUpdate], now: Date) throws

    /// Puts sends whose lease ran out (their process died mid-send) back in the queue.
    func rescueExpiredSends(now: Date) throws -> Int

    /// Leases up to `limit` sends due at or before `now`, marking them as being sent (committed
    /// before any SMTP traffic). With a `rate`, no more than the store's shared allowance grants
    /// (`SendAllowance`), drawn on in the same transaction: the limit holds across processes.
    func claimDueSends(now: Date, limit: Int, leaseUntil: Date, rate: SendRate?) throws -> [QueuedSend]

    /// Records one attempt's outcome.
    func record(_ outcome: SendOutcome, for key: String, now: Date) throws

    /// The leads with these ids (those that still exist), as the checks right before sending see
    /// them: read together for a batch of sends rather than one read per send.
    func leadsForSending(_ ids: [String]) throws -> [String: LeadForSending]

    /// The earliest instant something is due (a lead or a send), if any.
    func nextDue() throws -> Date?

    func status(now: Date, dayStart: Date) throws -> QueueStatus
}

extension SchedulerStore {
    /// A claim that no rate limit holds back.
    public func claimDueSends(now: Date, limit: Int, leaseUntil: Date) throws -> [QueuedSend] {
        try claimDueSends(now: now, limit: limit, leaseUntil: leaseUntil, rate: nil)
    }
}
