import Foundation

/// A prospect: who they are, where their clock is, and which rep owns them.
public struct Lead: Sendable {
    public var id: String
    public var email: String
    /// The lead's own zone; sequences fall back to their send window's zone.
    public var timeZone: TimeZone? { didSet { clock = timeZone.map(ZoneClock.init) } }
    /// The lead's wall clock, looked up once rather than on every step.
    private(set) var clock: ZoneClock?
    /// The owning rep, when sales has assigned one.
    public var owner: Rep?
    /// The lifecycle stage the lead is in when it is first seen; nil means the entry stage.
    public var stage: String?
    /// Everything else: `first_name`, `company`, `title`, `company_size`, custom fields...
    public var attributes: [String: String]

    public init(
        id: String, email: String, timeZone: TimeZone? = nil, owner: Rep? = nil,
        stage: String? = nil, attributes: [String: String] = [:]
    ) {
        self.id = id
        self.email = email
        self.timeZone = timeZone
        clock = timeZone.map(ZoneClock.init)
        self.owner = owner
        self.stage = stage
        self.attributes = attributes
    }

    /// The standard fields every lead may carry and every template may use.
    public static let standardFields: [String] = [
        "first_name", "last_name", "email", "company", "title", "industry", "company_size", "country",
    ]

    /// Fields about the rep and the message that templates may use alongside the lead's.
    public static let messageFields: [String] = [
        "rep.name", "rep.first_name", "rep.email", "rep.title", "rep.phone",
        "sender.name", "sender.email", "unsubscribe_url",
    ]

    /// The value of a standard or custom field; `email` comes from the lead itself.
    public func value(of field: String) -> String? {
        field == "email" ? email : attributes[field]
    }

    public var displayName: String {
        [attributes["first_name"], attributes["last_name"]].compactMap { $0 }.joined(separator: " ")
    }
}
