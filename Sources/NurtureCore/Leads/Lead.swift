import Foundation

/// A prospect: who they are, where their clock is, and which rep owns them.
public struct Lead: Sendable {
    /// The fields, in one copy-on-write box: the engine copies the lead into every step it runs,
    /// and copying one reference is one retain where the fields would be a dozen.
    private var storage: Storage

    public init(
        id: String, email: String, timeZone: TimeZone? = nil, owner: Rep? = nil,
        stage: String? = nil, attributes: [String: String] = [:]
    ) {
        storage = Storage(id: id, email: email, timeZone: timeZone, owner: owner, stage: stage, attributes: attributes)
    }

    public var id: String {
        get { storage.id }
        set { unique().id = newValue }
    }

    public var email: String {
        get { storage.email }
        set { unique().email = newValue }
    }

    /// The lead's own zone; sequences fall back to their send window's zone.
    public var timeZone: TimeZone? {
        get { storage.timeZone }
        set {
            let storage = unique()
            storage.timeZone = newValue
            storage.clock = newValue.map(ZoneClock.init)
        }
    }

    /// The lead's wall clock, looked up once rather than on every step.
    var clock: ZoneClock? { storage.clock }

    /// The owning rep, when sales has assigned one.
    public var owner: Rep? {
        get { storage.owner }
        set { unique().owner = newValue }
    }

    /// The lifecycle stage the lead is in when it is first seen; nil means the entry stage.
    public var stage: String? {
        get { storage.stage }
        set { unique().stage = newValue }
    }

    /// Everything else: `first_name`, `company`, `title`, `company_size`, custom fields...
    public var attributes: [String: String] {
        get { storage.attributes }
        // In place, so that loaders filling in one field at a time do not copy the dictionary.
        _modify { yield &unique().attributes }
    }

    /// The box, copied first if another lead shares it.
    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        return storage
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
        field == "email" ? email : storage.attributes[field]
    }

    public var displayName: String {
        [attributes["first_name"], attributes["last_name"]].compactMap { $0 }.joined(separator: " ")
    }
}

extension Lead {
    /// A lead's fields. Changed only through a lead that holds the sole reference (see `unique()`),
    /// so no two threads ever see it change: that is what makes it sendable.
    private final class Storage: @unchecked Sendable {
        var id: String
        var email: String
        var timeZone: TimeZone?
        var clock: ZoneClock?
        var owner: Rep?
        var stage: String?
        var attributes: [String: String]

        init(
            id: String, email: String, timeZone: TimeZone?, owner: Rep?, stage: String?, attributes: [String: String]
        ) {
            self.id = id
            self.email = email
            self.timeZone = timeZone
            clock = timeZone.map(ZoneClock.init)
            self.owner = owner
            self.stage = stage
            self.attributes = attributes
        }

        private init(copying other: Storage) {
            id = other.id
            email = other.email
            timeZone = other.timeZone
            clock = other.clock
            owner = other.owner
            stage = other.stage
            attributes = other.attributes
        }

        func copy() -> Storage { Storage(copying: self) }
    }
}
