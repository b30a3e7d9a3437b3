import Foundation
import NurtureCore

/// Who a forecast hand-off goes to, and how many hand-offs that rep can follow up on a day: the
/// one place where routing enters the forecast.
///
/// Today a hand-off goes to the lead's owner, else the lifecycle's default owner queue
/// (``owners(lifecycle:capacityPerRep:)``), each with the same capacity per business day. A
/// routing that depends on the day's load (teams, capacity-aware assignment) replaces this value.
public struct ForecastRouting: Sendable {
    /// The receiver of a hand-off of `lead`, by the name the report shows (an email address).
    public var rep: @Sendable (_ lead: Lead, _ handOff: HandOff) -> String
    /// Hand-offs `rep` can follow up on the local day `day` (days since 1970 in the lifecycle's
    /// business-hours zone); zero outside business days.
    public var capacity: @Sendable (_ rep: String, _ day: Int64) -> Int
    /// Reps the report lists even when no hand-off is forecast for them.
    public var knownReps: [String]

    public init(
        rep: @escaping @Sendable (Lead, HandOff) -> String, capacity: @escaping @Sendable (String, Int64) -> Int,
        knownReps: [String]
    ) {
        self.rep = rep
        self.capacity = capacity
        self.knownReps = knownReps
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
}
