/// What one synthetic prospect ended up doing: the funnel stages it reached and the emails it got.
/// Comparing two variants pairs these prospect by prospect.
public struct ProspectOutcome: Sendable {
    /// The stages reached, one bit per stage (by raw value): no array to allocate per prospect.
    var stages: UInt16 = 0
    public var emails = 0

    public func reached(_ stage: SimulationStats.Stage) -> Bool { stages & (1 << stage.rawValue) != 0 }

    mutating func reach(_ stage: SimulationStats.Stage) { stages |= 1 << stage.rawValue }
}
