/// What a forecast counted: hand-offs per rep, per run and day (`run * days + day`), and how many
/// leads it read and ran. Sums of integers, so merging the workers' parts in any order gives the
/// same counts whatever the number of threads.
public struct ForecastCounts: Sendable, Equatable {
    public let runs: Int
    public let days: Int
    public private(set) var handOffs: [String: [Int]] = [:]
    /// Leads read from the snapshot.
    public var leads = 0
    /// Leads with an active enrollment or an input still to come: the ones run forward.
    public var forecastLeads = 0

    public init(runs: Int, days: Int) {
        self.runs = runs
        self.days = days
    }

    mutating func addHandOff(rep: String, run: Int, day: Int) { addHandOffs(rep: rep, run: run, day: day, count: 1) }

    mutating func addHandOffs(rep: String, run: Int, day: Int, count: Int) {
        handOffs[rep, default: Array(repeating: 0, count: runs * days)][run * days + day] += count
    }

    /// Hand-offs to `rep` on `day` in each run, by run.
    public func handOffs(rep: String, day: Int) -> [Int] {
        guard let counts = handOffs[rep] else { return Array(repeating: 0, count: runs) }
        return (0..<runs).map { counts[$0 * days + day] }
    }

    mutating func merge(_ other: ForecastCounts) {
        leads += other.leads
        forecastLeads += other.forecastLeads
        for (rep, counts) in other.handOffs {
            guard var mine = handOffs[rep] else {
                handOffs[rep] = counts
                continue
            }
            for index in counts.indices { mine[index] += counts[index] }
            handOffs[rep] = mine
        }
    }
}
