/// What one synthetic prospect ended up doing: the funnel stages it reached, the emails it got and
/// when it was handed off. Comparing two variants pairs these prospect by prospect.
public struct ProspectOutcome: Sendable {
    /// The stages reached, one bit per stage (by raw value): no array to allocate per prospect.
    var stages: UInt16 = 0
    public var emails = 0
    /// Whole minutes from the start of the run to the prospect's first hand-off; nil if it had
    /// none. Whole numbers, so that sums of them do not depend on the order they are added in.
    public internal(set) var minutesToHandOff: Int?

    public func reached(_ stage: SimulationStats.Stage) -> Bool { stages & (1 << stage.rawValue) != 0 }

    mutating func reach(_ stage: SimulationStats.Stage) { stages |= 1 << stage.rawValue }
}
