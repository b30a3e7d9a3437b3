import Foundation
import NurtureCore
import NurturePersonas

/// What to forecast: the live definitions, the personas the behaviour to come is drawn from, from
/// when and for how many days, how many Monte Carlo runs, and where hand-offs go.
public struct ForecastSetup: Sendable {
    public var definitions: DefinitionSet
    public var population: Population
    /// The moment the forecast starts from (now, for the live pipeline).
    public var start: Date
    public var days: Int
    public var runs: Int
    public var seed: UInt64
    public var routing: ForecastRouting

    /// The most Monte Carlo runs: each run is one more pass over every lead.
    public static let runsRange = 1...1_000

    public init(
        definitions: DefinitionSet, population: Population, start: Date, days: Int, runs: Int, seed: UInt64,
        routing: ForecastRouting
    ) {
        self.definitions = definitions
        self.population = population
        self.start = start
        self.days = days
        self.runs = runs
        self.seed = seed
        self.routing = routing
    }

    var horizon: Date { start.addingTimeInterval(Double(days) * 86_400) }
}
