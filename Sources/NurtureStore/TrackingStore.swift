import Foundation

/// Persistence for signed click and open tracking: the address behind each tracked link of each
/// message, kept when the send is recorded, and the opens and clicks, each queued for the engine
/// through the lead's inbox in the same transaction as its own record.
///
/// A PostgreSQL store implements the same calls over the same tables (`message_link`,
/// `tracked_event`).
public protocol TrackingStore: SalesLoopStore {
    /// Records a send's outcome; when it was sent, also the addresses of its tracked links (link
    /// index `i` is `links[i]`), in the same transaction.
    func record(_ outcome: SendOutcome, for key: String, links: [String], now: Date) throws

    /// Records several sends' outcomes, with their links, in one transaction: all of them or none.
    /// One commit (and one flush of the log) for the batch instead of one per send, so a caller
    /// that waits for it to return holds the same guarantee as after a commit of its own.
    func record(_ records: [OutcomeRecord], now: Date) throws

    /// Records a click on a tracked link and returns the address stored for it with the machine
    /// rule that fired (nil for a person), or returns nil and records nothing when the message was
    /// not sent to `hit.leadID` or has no such link. `classify` is handed what the store knows and
    /// returns the rule; it runs inside the transaction, so concurrent clicks see each other.
    /// Returns once the click is committed, without holding a thread while it waits.
    func recordClick(_ hit: TrackingHit, classify: @escaping @Sendable (TrackedMessage) -> String?) async throws -> (url: String, rule: String?)?

    /// Records an open and returns the machine rule that fired (`.some(nil)` for a person); nil
    /// (nothing recorded) when the message was not sent to `hit.leadID`.
    func recordOpen(_ hit: TrackingHit, classify: @escaping @Sendable (TrackedMessage) -> String?) async throws -> String??
}

/// One open or click, as its signed token and the request say.
public struct TrackingHit: Sendable {
    public var leadID: String
    public var messageKey: String
    /// The link's index, for a click.
    public var link: Int?
    public var at: Date
    /// Clicks on the message at or after this instant are handed to `classify`.
    public var clicksSince: Date

    public init(leadID: String, messageKey: String, link: Int?, at: Date, clicksSince: Date) {
        self.leadID = leadID
        self.messageKey = messageKey
        self.link = link
        self.at = at
        self.clicksSince = clicksSince
    }
}

/// What the store knows of a tracked message when an open or click arrives.
public struct TrackedMessage: Sendable {
    /// When the relay accepted it.
    public var deliveredAt: Date?
    public var linkCount: Int
    /// Clicks on it since `TrackingHit.clicksSince`, oldest first.
    public var recentClicks: [(link: Int, at: Date)]
}
