import Foundation
import NurtureCore

/// Who a forecast hand-off goes to, and how many hand-offs that rep can follow up on a day: the
/// one place where routing enters the forecast.
///
/// During the runs a hand-off is counted against the rep the engine named: the lead's owner, else
/// the lifecycle's default owner queue. When the lifecycle has teams, ``rules`` is set and the
/// forecast then shares out, run by run and day by day, the hand-offs production would route (see
/// `ForecastCounts.routed(by:cursor:startDay:)`), and each member's capacity is the team's.
public struct ForecastRouting: Sendable {
    /// The receiver of a hand-off of `lead`, by the name the report shows (an email address).
    public var rep: @Sendable (_ lead: Lead, _ handOff: HandOff) -> String
    /// Hand-offs `rep` can follow up on the local day `day` (days since 1970 in the lifecycle's
    /// business-hours zone); zero outside business days.
    public var capacity: @Sendable (_ rep: String, _ day: Int64) -> Int
    /// Reps the report lists even when no hand-off is forecast for them.
    public var knownReps: [String]
    /// The teams' routing, when `lifecycle.yml` has teams: the counted hand-offs are shared out by it.
    public var rules: HandOffRouting.Rules?
    /// The last rep the teams were given a hand-off (the store's rotation cursor), lower case:
    /// where every run's rotation starts.
    public var cursor: String?

    public init(
        rep: @escaping @Sendable (Lead, HandOff) -> String, capacity: @escaping @Sendable (String, Int64) -> Int,
        knownReps: [String], rules: HandOffRouting.Rules? = nil, cursor: String? = nil
    ) {
        self.rep = rep
        self.capacity = capacity
        self.knownReps = knownReps
        self.rules = rules
        self.cursor = cursor
    }

    /// The name of the queue a hand-off goes to when the lead has no owner and there is no default owner.
    public static let noRep = "(no rep)"

    /// Hand-offs to the lead's owner, else the default owner (`Lifecycle.rep(for:)`), as the
    /// scheduler routes them; `capacityPerRep` each on the lifecycle's business days, as in the
    /// dry-run's capacity forecast.
    public static func owners(lifecycle: Lifecycle, capacityPerRep: Int) -> ForecastRouting {
        let days = lifecycle.businessHours.days
        return ForecastRouting(
            rep: { lead, _ in lifecycle.rep(for: lead)?.email ?? noRep },
            capacity: { _, day in days.contains(Weekday.of(localDay: day)) ? capacityPerRep : 0 },
            knownReps: lifecycle.defaultOwner.map { [$0.email] } ?? [])
    }

    /// Routing as production does it: when the lifecycle has teams (`Lifecycle.routing`), the
    /// hand-offs the engine gives the queue, or an owner away that day, are shared out between the
    /// members by `HandOffRouting`, starting from `cursor`. A member's capacity is theirs on
    /// business days and zero when away; reps on no team (the queue too) have `capacityPerRep`.
    /// Without teams, ``owners(lifecycle:capacityPerRep:)``.
    public static func production(lifecycle: Lifecycle, capacityPerRep: Int, cursor: String?) -> ForecastRouting {
        var routing = owners(lifecycle: lifecycle, capacityPerRep: capacityPerRep)
        guard let rules = lifecycle.routing else { return routing }
        let fallback = routing.capacity
        routing.rules = rules
        routing.cursor = cursor?.lowercased()
        routing.capacity = { rep, day in
            guard let member = rules.teams.lazy.compactMap({ $0.member(rep) }).first else { return fallback(rep, day) }
            let date = CalendarDay(number: day)
            return rules.businessHours.days.contains(Weekday.of(localDay: day)) && !member.isAway(on: date) ? member.capacity : 0
        }
        routing.knownReps = rules.teams.flatMap { $0.members.map(\.rep.email) } + routing.knownReps
        return routing
    }
}
