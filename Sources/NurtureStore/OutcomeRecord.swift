import Foundation

/// One send's outcome as the scheduler records it, with the addresses of its tracked links (kept
/// only when it was sent; link index `i` is `links[i]`). Several of them are recorded in one
/// transaction when their sends finish together (`TrackingStore.record(_:now:)`).
public struct OutcomeRecord: Sendable {
    public var key: String
    public var outcome: SendOutcome
    public var links: [String]

    public init(key: String, outcome: SendOutcome, links: [String] = []) {
        self.key = key
        self.outcome = outcome
        self.links = links
    }
}
