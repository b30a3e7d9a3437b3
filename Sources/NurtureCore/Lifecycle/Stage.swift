/// One stage of the lifecycle that marketing and sales agreed on, and the team that owns it.
public struct Stage: Hashable, Sendable {
    public enum Team: String, Hashable, Sendable, CaseIterable {
        case marketing, sales
    }

    public var id: String
    public var name: String
    public var owner: Team
    public var description: String?

    public init(id: String, name: String, owner: Team, description: String? = nil) {
        self.id = id
        self.name = name
        self.owner = owner
        self.description = description
    }
}
