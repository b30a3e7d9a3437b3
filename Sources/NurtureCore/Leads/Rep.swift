/// A person on the sales team (or a shared queue): the owner of leads, the sender of rep-owned
/// sequences, the receiver of hand-offs, tasks and notifications.
public struct Rep: Hashable, Sendable {
    public var name: String
    public var email: String
    public var title: String?
    public var phone: String?

    public init(name: String, email: String, title: String? = nil, phone: String? = nil) {
        self.name = name
        self.email = email
        self.title = title
        self.phone = phone
    }

    public var firstName: String { name.split(separator: " ").first.map(String.init) ?? name }
}
