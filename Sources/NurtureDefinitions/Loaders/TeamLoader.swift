import NurtureCore
import Yams

/// `teams:` in `lifecycle.yml`: who shares the hand-offs nobody owns, with each member's capacity
/// per business day and away dates, checked against `reps:` and `Team`'s limits.
///
/// ```yaml
/// teams:
///   - name: Account executives
///     capacity: 8                 # hand-offs a business day, for each member who says no other
///     members:
///       - hannah.lee@example.com
///       - {rep: marcus.webb@example.com, capacity: 6, away: [2026-12-24, 2026-12-28..2027-01-01]}
/// ```
enum TeamLoader {
    static func load(_ node: Node, key: Node?, lifecycle: Lifecycle, reader: inout NodeReader) -> [Team] {
        guard let items = reader.list(node, "teams") else { return [] }
        if lifecycle.defaultOwner == nil {
            reader.error("teams need a default_owner: the queue a hand-off goes to when no member is present", at: key ?? node)
            return []
        }
        if items.count > Team.maximumTeams {
            reader.error("at most \(Team.maximumTeams) teams, found \(items.count)", at: node)
            return []
        }
        var teams: [Team] = []
        var placed: [String: String] = [:]  // member address (lower case) -> team name
        var memberCount = 0
        for item in items {
            guard let team = self.team(item, lifecycle: lifecycle, placed: &placed, reader: &reader) else { continue }
            if teams.contains(where: { $0.name.lowercased() == team.name.lowercased() }) {
                reader.error("team '\(team.name)' is listed twice", at: item)
                continue
            }
            memberCount += team.members.count
            if memberCount > Team.maximumMembers {
                reader.error("at most \(Team.maximumMembers) members in all teams", at: item)
                break
            }
            teams.append(team)
        }
        return teams
    }

    static func team(_ node: Node, lifecycle: Lifecycle, placed: inout [String: String], reader: inout NodeReader) -> Team? {
        guard let fields = reader.mapping(node, "a team", keys: ["name", "capacity", "members"]),
              let nameNode = reader.required(fields, "name"), let name = reader.string(nameNode, "a team name"),
              let membersNode = reader.required(fields, "members"), let items = reader.list(membersNode, "members")
        else { return nil }
        guard name.count <= 100, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            reader.error("a team name is at most 100 characters, without control characters", at: nameNode)
            return nil
        }
        let capacity = fields["capacity"].flatMap { self.capacity($0, reader: &reader) }
        if fields["capacity"] != nil, capacity == nil { return nil }
        guard !items.isEmpty else {
            reader.error("team '\(name)' has no members", at: membersNode)
            return nil
        }
        var members: [Team.Member] = []
        var complete = true
        for item in items {
            guard let member = self.member(item, teamCapacity: capacity, lifecycle: lifecycle, reader: &reader) else {
                complete = false
                continue
            }
            let email = member.rep.email.lowercased()
            if let other = placed[email] {
                reader.error(
                    other == name ? "\(member.rep.email) is listed twice in team '\(name)'"
                        : "\(member.rep.email) is already in team '\(other)'; a rep is on one team",
                    at: item)
                complete = false
                continue
            }
            placed[email] = name
            members.append(member)
        }
        return complete ? Team(name: name, members: members) : nil
    }

    /// `hannah.lee@example.com`, or `{rep: ..., capacity: 6, away: [...]}`.
    static func member(_ node: Node, teamCapacity: Int?, lifecycle: Lifecycle, reader: inout NodeReader) -> Team.Member? {
        let repNode: Node
        var capacity = teamCapacity
        var away: [ClosedRange<CalendarDay>] = []
        if case .mapping = node {
            guard let fields = reader.mapping(node, "a team member", keys: ["rep", "capacity", "away"]),
                  let found = reader.required(fields, "rep")
            else { return nil }
            repNode = found
            if let node = fields["capacity"] {
                guard let own = self.capacity(node, reader: &reader) else { return nil }
                capacity = own
            }
            if let node = fields["away"] {
                guard let dates = self.away(node, reader: &reader) else { return nil }
                away = dates
            }
        } else {
            repNode = node
        }
        guard let email = reader.string(repNode, "a rep's email address") else { return nil }
        guard let rep = lifecycle.reps.first(where: { $0.email.lowercased() == email.lowercased() }) else {
            let hint = NodeReader.suggestion(for: email, among: lifecycle.reps.map { $0.email.lowercased() })
                .map { "; did you mean '\($0)'?" } ?? "; list them under reps: first"
            reader.error("unknown rep '\(email)' in a team\(hint)", at: repNode)
            return nil
        }
        guard let capacity else {
            reader.error("\(rep.email) has no capacity: give the team a capacity, or the member one", at: node)
            return nil
        }
        return Team.Member(rep: rep, capacity: capacity, away: away)
    }

    /// Hand-offs per business day, within `Team.capacityRange`.
    static func capacity(_ node: Node, reader: inout NodeReader) -> Int? {
        guard let value = reader.integer(node, "capacity", atLeast: Team.capacityRange.lowerBound) else { return nil }
        guard value <= Team.capacityRange.upperBound else {
            reader.error("capacity is at most \(Team.capacityRange.upperBound) hand-offs a business day, found \(value)", at: node)
            return nil
        }
        return value
    }

    /// `[2026-12-24, 2026-12-28..2027-01-01]`: dates and inclusive ranges on the business-hours clock.
    static func away(_ node: Node, reader: inout NodeReader) -> [ClosedRange<CalendarDay>]? {
        guard let items = reader.list(node, "away dates") else { return nil }
        guard items.count <= Team.maximumAwayEntries else {
            reader.error("at most \(Team.maximumAwayEntries) away entries for one member, found \(items.count)", at: node)
            return nil
        }
        var ranges: [ClosedRange<CalendarDay>] = []
        for item in items {
            guard let text = reader.string(item, "a date or a range of dates") else { return nil }
            let ends = text.components(separatedBy: "..")
            let days = ends.map { CalendarDay(parsing: $0.trimmingCharacters(in: .whitespaces)) }
            guard (1...2).contains(ends.count), let first = days.first!, let last = days.last! else {
                reader.error(
                    "'\(text)' is not a date (2026-12-24) or a range of dates (2026-12-28..2027-01-01) "
                        + "in the years \(CalendarDay.years.lowerBound) to \(CalendarDay.years.upperBound)",
                    at: item)
                return nil
            }
            guard first <= last else {
                reader.error("the range '\(text)' ends before it starts", at: item)
                return nil
            }
            guard last.number - first.number < Team.maximumAwayDays else {
                reader.error("the range '\(text)' is longer than \(Team.maximumAwayDays) days", at: item)
                return nil
            }
            ranges.append(first...last)
        }
        return ranges
    }
}
