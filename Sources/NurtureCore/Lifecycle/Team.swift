/// A sales team that shares the hand-offs nobody owns (`teams:` in `lifecycle.yml`): its members,
/// how many hand-offs each can answer in a business day, and the days each is away.
public struct Team: Hashable, Sendable {
    /// A rep of `reps:` on the team.
    public struct Member: Hashable, Sendable {
        public var rep: Rep
        /// Hand-offs the rep can answer in one business day.
        public var capacity: Int
        /// Days off, inclusive, as dates on the business-hours clock.
        public var away: [ClosedRange<CalendarDay>]

        public init(rep: Rep, capacity: Int, away: [ClosedRange<CalendarDay>] = []) {
            self.rep = rep
            self.capacity = capacity
            self.away = away
        }

        public func isAway(on day: CalendarDay) -> Bool { away.contains { $0.contains(day) } }
    }

    public var name: String
    public var members: [Member]

    public init(name: String, members: [Member]) {
        self.name = name
        self.members = members
    }

    /// Limits on what `teams:` may say, so that a typo cannot make a routing decision slow or a
    /// capacity meaningless.
    public static let capacityRange = 1...1_000
    public static let maximumTeams = 50
    public static let maximumMembers = 500
    /// Away entries per member, and the longest range one may span (days, inclusive).
    public static let maximumAwayEntries = 100
    public static let maximumAwayDays: Int64 = 366

    public func member(_ email: String) -> Member? {
        members.first { $0.rep.email.lowercased() == email.lowercased() }
    }
}

extension Lifecycle {
    /// The team a rep belongs to (a rep is on one team at most).
    public func team(of email: String) -> Team? { teams.first { $0.member(email) != nil } }

    /// The rules hand-offs are routed by: nil when the lifecycle has no teams (every hand-off
    /// goes to the lead's owner or the default queue, as the engine said).
    public var routing: HandOffRouting.Rules? {
        guard !teams.isEmpty, let defaultOwner else { return nil }
        return HandOffRouting.Rules(teams: teams, defaultOwner: defaultOwner, businessHours: businessHours)
    }
}
