import Foundation
import NurtureCore

/// Something a rep must be told: a hand-off, a notification or a task. Each is a durable item in
/// the outbox, delivered at least once by email and, when a webhook is set, as signed JSON.
public struct RepNotice: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case handOff = "hand_off"
        case notification
        case task
    }

    public enum Channel: String, Hashable, Sendable, Codable, CaseIterable {
        case email, webhook
    }

    /// What the engine said, with its placeholders filled in for the lead.
    public struct Detail: Hashable, Sendable, Codable {
        public var message: String?
        public var title: String?
        public var due: Date?
        public var sequence: String?
        public var at: Date

        public init(message: String? = nil, title: String? = nil, due: Date? = nil, sequence: String? = nil, at: Date) {
            self.message = message
            self.title = title
            self.due = due
            self.sequence = sequence
            self.at = at
        }
    }

    public var key: String
    public var leadID: String
    public var kind: Kind
    public var channel: Channel
    public var handOffID: Int64?
    public var repName: String?
    public var repEmail: String
    public var detail: Detail
    public var attempts: Int
    public var firstAttemptAt: Date?
}

/// A notice the engine asked for in a pass, before it has a row: written with the lead's update.
public struct NewNotice: Hashable, Sendable {
    public var kind: RepNotice.Kind
    public var rep: Rep
    public var detail: RepNotice.Detail
    public var channels: [RepNotice.Channel]
    /// For a hand-off notice: which of the update's hand-offs it tells of.
    public var handOffIndex: Int?

    public init(kind: RepNotice.Kind, rep: Rep, detail: RepNotice.Detail, channels: [RepNotice.Channel], handOffIndex: Int? = nil) {
        self.kind = kind
        self.rep = rep
        self.detail = detail
        self.channels = channels
        self.handOffIndex = handOffIndex
    }
}

/// A hand-off the engine made in a pass, with what the rep will read, before it has a row.
public struct NewHandOff: Hashable, Sendable {
    public var handOff: HandOff
    public var summary: EngagementSummary?
    public var definitionsVersion: Int
    /// The teams to route it by when it is recorded; nil keeps the rep the engine named.
    public var routing: HandOffRouting.Rules?

    public init(_ handOff: HandOff, summary: EngagementSummary?, definitionsVersion: Int, routing: HandOffRouting.Rules? = nil) {
        self.handOff = handOff
        self.summary = summary
        self.definitionsVersion = definitionsVersion
        self.routing = routing
    }
}
