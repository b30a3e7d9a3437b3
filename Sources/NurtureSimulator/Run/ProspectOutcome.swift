/// What one synthetic prospect ended up doing: the funnel stages it reached and the emails it got.
/// Comparing two variants pairs these prospect by prospect.
public struct ProspectOutcome: Sendable {
    var reached: [Bool]
    public var emails: Int

    public func reached(_ stage: SimulationStats.Stage) -> Bool { reached[stage.rawValue] }
}
