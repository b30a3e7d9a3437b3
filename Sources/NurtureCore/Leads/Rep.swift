/// A person on the sales team (or a shared queue): the owner of leads, the sender of rep-owned
/// sequences, the receiver of hand-offs, tasks and notifications.
public struct Rep: Hashable, Sendable {
    /// The fields in one box: a rep rides along in every lead, send and hand-off, and copying one
    /// reference is one retain where four strings were up to four.
    private let storage: Storage

    public init(name: String, email: String, title: String? = nil, phone: String? = nil) {
        storage = Storage(name: name, email: email, title: title, phone: phone)
    }

    public var name: String { storage.name }
    public var email: String { storage.email }
    public var title: String? { storage.title }
    public var phone: String? { storage.phone }

    public var firstName: String { name.split(separator: " ").first.map(String.init) ?? name }

    /// A profile field by the name templates use after `rep.`: `name`, `first_name`, `email`,
    /// `title`, `phone`; nil for any other.
    public func value(of field: String) -> String? {
        switch field {
        case "name": name
        case "first_name": firstName
        case "email": email
        case "title": title
        case "phone": phone
        default: nil
        }
    }

    public static func == (lhs: Rep, rhs: Rep) -> Bool {
        lhs.storage === rhs.storage
            || (lhs.name == rhs.name && lhs.email == rhs.email && lhs.title == rhs.title && lhs.phone == rhs.phone)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(email)
        hasher.combine(title)
        hasher.combine(phone)
    }

    /// Never changed once made, so reps share it freely.
    private final class Storage: Sendable {
        let name: String
        let email: String
        let title: String?
        let phone: String?

        init(name: String, email: String, title: String?, phone: String?) {
            self.name = name
            self.email = email
            self.title = title
            self.phone = phone
        }
    }
}
