import Foundation

/// What calibration reads of a recorded history: each lead's sends, responses and hand-offs, as
/// the event log holds them. The command line turns the files into these; nothing here reads files.
public struct RecordedEvent: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// An email went out (the store's `email_sent`).
        case sent
        /// A person opened an email.
        case open
        /// A privacy proxy or link scanner opened it (category `machine`): kept out of the mixture.
        case machineOpen
        case click
        /// A page visit on the website, whether or not an email led there.
        case visit
        case reply
        case unsubscribe
        case bounce
        case handedOff
        /// Anything else (a visit, a form fill, a machine's click): counted nowhere in the model.
        case other
    }

    public var lead: String
    public var at: Date
    public var kind: Kind
    /// The step of the email a response answers, when the log says.
    public var step: String?
    /// A click's link category, a visit's page category.
    public var category: String?

    public init(lead: String, at: Date, kind: Kind, step: String? = nil, category: String? = nil) {
        self.lead = lead
        self.at = at
        self.kind = kind
        self.step = step
        self.category = category
    }
}

/// A hand-off and how sales answered it, as `nurture export --outcomes` writes it.
public struct RecordedOutcome: Sendable, Hashable {
    public enum Answer: String, Sendable, Hashable, CaseIterable {
        case accepted, rejected, expired, open
    }

    public var lead: String
    public var handedOffAt: Date
    public var score: Double
    public var grade: String
    public var answer: Answer
    /// The rejection reason (`not-ready`), when there is one.
    public var reason: String?
    public var answeredAt: Date?
    /// The rep's first personal touch of an accepted lead, when there was one.
    public var touchedAt: Date?

    public init(
        lead: String, handedOffAt: Date, score: Double, grade: String, answer: Answer, reason: String? = nil, answeredAt: Date? = nil,
        touchedAt: Date? = nil
    ) {
        self.lead = lead
        self.handedOffAt = handedOffAt
        self.score = score
        self.grade = grade
        self.answer = answer
        self.reason = reason
        self.answeredAt = answeredAt
        self.touchedAt = touchedAt
    }
}
