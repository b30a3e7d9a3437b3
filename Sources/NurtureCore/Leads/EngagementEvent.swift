/// Something a prospect did (or that happened to their address), as tracked by email, web and forms.
public struct EngagementEvent: Hashable, Sendable {
    public enum Kind: String, CaseIterable, Sendable, Hashable, Codable {
        case emailOpen = "email_open"
        case emailClick = "email_click"
        case pageVisit = "page_visit"
        case formFill = "form_fill"
        case reply
        case meetingBooked = "meeting_booked"
        case unsubscribe
        case hardBounce = "hard_bounce"
        case complaint

        /// The kind in words: "email open", "meeting booked".
        public var displayName: String {
            switch self {
            case .emailOpen: "email open"
            case .emailClick: "email click"
            case .pageVisit: "page visit"
            case .formFill: "form fill"
            case .reply: "reply"
            case .meetingBooked: "meeting booked"
            case .unsubscribe: "unsubscribe"
            case .hardBounce: "hard bounce"
            case .complaint: "complaint"
            }
        }

        /// Events after which no further email may be sent to the address.
        public var suppresses: Bool { self == .unsubscribe || self == .hardBounce || self == .complaint }

        /// The kind's place in `allCases`: tables indexed by kind are read per event without hashing.
        @_spi(EngineSnapshot) public var ordinal: Int {
            switch self {
            case .emailOpen: 0
            case .emailClick: 1
            case .pageVisit: 2
            case .formFill: 3
            case .reply: 4
            case .meetingBooked: 5
            case .unsubscribe: 6
            case .hardBounce: 7
            case .complaint: 8
            }
        }
    }

    public var kind: Kind
    /// Link category for clicks, page category for visits, form name for form fills.
    public var category: String?
    /// The sequence and step of the email that was opened or clicked, when known.
    public var sequence: String?
    public var step: String?

    public init(_ kind: Kind, category: String? = nil, sequence: String? = nil, step: String? = nil) {
        self.kind = kind
        self.category = category
        self.sequence = sequence
        self.step = step
    }
}
