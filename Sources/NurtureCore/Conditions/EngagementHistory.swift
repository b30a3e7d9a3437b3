/// What a lead has ever done, as far as conditions care: whether they opened, and which link,
/// page and form categories they clicked, visited and filled.
public struct EngagementHistory: Hashable, Sendable, Codable {
    public internal(set) var opened = false
    public internal(set) var replied = false
    public internal(set) var clicked = false
    public internal(set) var visited = false
    public internal(set) var filled = false
    public internal(set) var clickedCategories: Set<String> = []
    public internal(set) var visitedCategories: Set<String> = []
    public internal(set) var filledForms: Set<String> = []

    public init() {}

    public mutating func record(_ event: EngagementEvent) {
        switch event.kind {
        case .emailOpen: opened = true
        case .reply: replied = true
        case .emailClick:
            clicked = true
            if let category = event.category { clickedCategories.insert(category) }
        case .pageVisit:
            visited = true
            if let category = event.category { visitedCategories.insert(category) }
        case .formFill:
            filled = true
            if let category = event.category { filledForms.insert(category) }
        case .meetingBooked, .unsubscribe, .hardBounce, .complaint: break
        }
    }

    /// Makes this history equal to `other`, keeping the sets' storage (see `LeadState.reset(to:)`).
    mutating func reset(to other: EngagementHistory) {
        opened = other.opened
        replied = other.replied
        clicked = other.clicked
        visited = other.visited
        filled = other.filled
        clickedCategories.assignKeepingCapacity(other.clickedCategories)
        visitedCategories.assignKeepingCapacity(other.visitedCategories)
        filledForms.assignKeepingCapacity(other.filledForms)
    }

    public func has(_ activity: Condition.Activity, category: String?) -> Bool {
        switch activity {
        case .opened: return opened
        case .replied: return replied
        case .clicked: return category.map(clickedCategories.contains) ?? clicked
        case .visited: return category.map(visitedCategories.contains) ?? visited
        case .filled: return category.map(filledForms.contains) ?? filled
        }
    }
}
