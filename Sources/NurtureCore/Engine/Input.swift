import Foundation

/// One thing that happens to a lead, handed to the engine with the current time.
public enum Input: Hashable, Sendable {
    /// Put the lead into a sequence, if the sequence's audience and re-entry rules allow.
    case enroll(sequence: String)
    /// Time has moved on to `now`: run whatever is due.
    case timePassed
    /// The prospect did something.
    case event(EngagementEvent)
    /// A rep acted on the lead.
    case repAction(RepAction)
    /// The email the engine sent at `sentAt` was never accepted by the relay (refused, or given
    /// up on): it no longer counts toward the frequency cap, which counts emails sent.
    case undelivered(sentAt: Date)
}
