/// What a lead has ever done, as far as conditions care: whether they opened, and which link,
/// page and form categories they clicked, visited and filled.
public struct EngagementHistory: Hashable, Sendable, Codable {
    public internal(set) var opened = false
    public internal(set) var replied = false
    public internal(set) var clicked = false
    public internal(set) var visited = false
    public internal(set) var filled = false
    public internal(set) var clickedCategories: Set<String> {
        get { clicks.set }
        set { clicks = Categories(newValue) }
    }
    public internal(set) var visitedCategories: Set<String> {
        get { visits.set }
        set { visits = Categories(newValue) }
    }
    public internal(set) var filledForms: Set<String> {
        get { forms.set }
        set { forms = Categories(newValue) }
    }
    /// The categories as recorded and read on every event and check (and by the compact form).
    @_spi(EngineSnapshot) public internal(set) var clicks = Categories()
    @_spi(EngineSnapshot) public internal(set) var visits = Categories()
    @_spi(EngineSnapshot) public internal(set) var forms = Categories()

    public init() {}

    /// A history as the store kept it.
    @_spi(EngineSnapshot) public init(
        opened: Bool, replied: Bool, clicked: Bool, visited: Bool, filled: Bool,
        clicks: Categories, visits: Categories, forms: Categories
    ) {
        (self.opened, self.replied, self.clicked, self.visited, self.filled) = (opened, replied, clicked, visited, filled)
        (self.clicks, self.visits, self.forms) = (clicks, visits, forms)
    }

    /// The stored form of a history with its categories as sets, as it has always been written.
    private enum CodingKeys: String, CodingKey {
        case opened, replied, clicked, visited, filled, clickedCategories, visitedCategories, filledForms
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        opened = try container.decode(Bool.self, forKey: .opened)
        replied = try container.decode(Bool.self, forKey: .replied)
        clicked = try container.decode(Bool.self, forKey: .clicked)
        visited = try container.decode(Bool.self, forKey: .visited)
        filled = try container.decode(Bool.self, forKey: .filled)
        clickedCategories = try container.decode(Set<String>.self, forKey: .clickedCategories)
        visitedCategories = try container.decode(Set<String>.self, forKey: .visitedCategories)
        filledForms = try container.decode(Set<String>.self, forKey: .filledForms)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(opened, forKey: .opened)
        try container.encode(replied, forKey: .replied)
        try container.encode(clicked, forKey: .clicked)
        try container.encode(visited, forKey: .visited)
        try container.encode(filled, forKey: .filled)
        try container.encode(clickedCategories, forKey: .clickedCategories)
        try container.encode(visitedCategories, forKey: .visitedCategories)
        try container.encode(filledForms, forKey: .filledForms)
    }

    public mutating func record(_ event: EngagementEvent) {
        switch event.kind {
        case .emailOpen: opened = true
        case .reply: replied = true
        case .emailClick:
            clicked = true
            if let category = event.category { clicks.insert(category) }
        case .pageVisit:
            visited = true
            if let category = event.category { visits.insert(category) }
        case .formFill:
            filled = true
            if let category = event.category { forms.insert(category) }
        case .meetingBooked, .unsubscribe, .hardBounce, .complaint: break
        }
    }

    /// Makes this history equal to `other`, keeping the lists' storage (see `LeadState.reset(to:)`).
    mutating func reset(to other: EngagementHistory) {
        opened = other.opened
        replied = other.replied
        clicked = other.clicked
        visited = other.visited
        filled = other.filled
        clicks.reset(to: other.clicks)
        visits.reset(to: other.visits)
        forms.reset(to: other.forms)
    }

    public func has(_ activity: Condition.Activity, category: String?) -> Bool {
        switch activity {
        case .opened: return opened
        case .replied: return replied
        case .clicked: return category.map(clicks.contains) ?? clicked
        case .visited: return category.map(visits.contains) ?? visited
        case .filled: return category.map(forms.contains) ?? filled
        }
    }
}
