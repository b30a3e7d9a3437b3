import Foundation
import NurtureBasics
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

    /// The persona (its index in the population) a lead behaves as: drawn once from the seed and
    /// the lead's id by the population's mix, the same in every run and on every thread.
    public func persona(of leadID: String) -> Int { Self.persona(of: leadID, seed: seed, mix: population.mix) }

    static func persona(of leadID: String, seed: UInt64, mix: Mix<Int>) -> Int {
        var random = ProspectRandom(seed: seed, index: leadKey(leadID))
        return mix.pick(random.uniform())
    }

    /// A lead's id as the index of its random streams: FNV-1a, stable across processes.
    static func leadKey(_ id: String) -> UInt64 {
        var hash = FNV1a()
        hash.add(id.utf8)
        return hash.value
    }

    var horizon: Date { start.addingTimeInterval(Double(days) * 86_400) }
}
