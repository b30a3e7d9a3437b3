import Foundation

/// What happened to one lead, as the store recorded it: the emails it was sent and the events
/// that came back. The engine's state remembers only what its conditions need; a rep receiving a
/// hand-off wants the story.
public struct LeadHistory: Hashable, Sendable {
    public struct SentEmail: Hashable, Sendable {
        public var sequence: String
        public var step: String
        public var at: Date

        public init(sequence: String, step: String, at: Date) {
            self.sequence = sequence
            self.step = step
            self.at = at
        }
    }

    public struct Moment: Hashable, Sendable {
        public var event: EngagementEvent
        public var at: Date

        public init(event: EngagementEvent, at: Date) {
            self.event = event
            self.at = at
        }
    }

    public var sent: [SentEmail]
    /// Oldest first.
    public var moments: [Moment]

    public init(sent: [SentEmail] = [], moments: [Moment] = []) {
        self.sent = sent
        self.moments = moments
    }
}
