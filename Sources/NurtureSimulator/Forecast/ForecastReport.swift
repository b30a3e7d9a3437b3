import Foundation
import NurtureBasics
import NurtureCore

/// What sales operations read from a forecast: for each rep (and each team, when `lifecycle.yml`
/// has teams), the hand-offs expected on each day with an interval over the runs, against the
/// rep's capacity, and the days that will exceed it. Its JSON form is documented in docs/forecast.md.
public struct ForecastReport: Codable, Sendable, Equatable {
    public struct Setup: Codable, Sendable, Equatable {
        public var start: String
        public var days: Int
        public var runs: Int
        public var seed: UInt64
        public var personas: [String]
        public var leads: Int
        public var forecastLeads: Int
    }

    /// One rep's day, over the runs. `p10`, `p50` and `p90` are the hand-offs counted on that day
    /// (`HandOffCapacity`: those of a weekend count on the Monday); `load` adds what earlier days
    /// left over (days over capacity), for reading only. A day is over capacity in a run when its
    /// counted hand-offs exceed its capacity: the comparison routing makes.
    public struct Day: Codable, Sendable, Equatable {
        public var day: Int
        public var date: String
        public var weekday: String
        public var capacity: Int
        /// Mean hand-offs over the runs, to two decimals.
        public var expected: Double
        public var p10: Int
        public var p50: Int
        public var p90: Int
        /// Median hand-offs to follow up that day: those counted on it and those left from earlier.
        public var loadP50: Int
        /// Share of runs in which the hand-offs counted that day exceeded its capacity.
        public var overCapacityChance: Double
        /// Over capacity in more than half the runs.
        public var flagged: Bool
    }

    public struct RepForecast: Codable, Sendable, Equatable {
        public var rep: String
        public var expected: Double
        public var days: [Day]
    }

    /// One team's days: its members' hand-offs and capacities added up.
    public struct TeamForecast: Codable, Sendable, Equatable {
        public var team: String
        public var members: [String]
        public var expected: Double
        public var days: [Day]
    }

    /// A day one rep will most likely not keep up with: `handOffsP50` counted that day against
    /// `capacity` (the comparison that flags it); `loadP50` adds what earlier days left over.
    public struct Flag: Codable, Sendable, Equatable {
        public var date: String
        public var weekday: String
        public var rep: String
        public var handOffsP50: Int
        public var loadP50: Int
        public var capacity: Int
        public var overCapacityChance: Double
    }

    public var setup: Setup
    /// Hand-offs to every rep together, by day (its load and capacity left at zero).
    public var total: [Day]
    public var reps: [RepForecast]
    /// Empty when the lifecycle has no teams.
    public var teams: [TeamForecast]
    public var flagged: [Flag]

    public init(counts: ForecastCounts, setup: ForecastSetup) {
        let lifecycle = setup.definitions.lifecycle
        let clock = ZoneClock(lifecycle.businessHours.timeZone)
        let firstDay = clock.dayAndSecond(setup.start).day
        let dayFormatter = DateFormatter()
        dayFormatter.locale = Locale(identifier: "en_US_POSIX")
        dayFormatter.timeZone = lifecycle.businessHours.timeZone
        dayFormatter.dateFormat = "yyyy-MM-dd"
        let calendar = (0..<setup.days).map { index in
            let local = firstDay + Int64(index)
            return (local: local, date: dayFormatter.string(from: clock.instant(localSeconds: local * 86_400 + 43_200)),
                    weekday: Weekday.of(localDay: local).abbreviation)
        }
        self.setup = Setup(
            start: ISO8601DateFormatter().string(from: setup.start), days: setup.days, runs: setup.runs, seed: setup.seed,
            personas: setup.population.personas.map(\.id), leads: counts.leads, forecastLeads: counts.forecastLeads)

        let names = Set(counts.handOffs.keys).union(setup.routing.knownReps).sorted()
        func days(of members: [String]) -> [Day] {
            var backlog = Array(repeating: 0, count: setup.runs)
            return calendar.indices.map { index in
                let arrivals = (0..<setup.runs).map { run in members.reduce(0) { $0 + counts.handOffs(rep: $1, day: index)[run] } }
                let capacity = members.reduce(0) { $0 + setup.routing.capacity($1, calendar[index].local) }
                var loads: [Int] = []
                var over = 0
                for run in 0..<setup.runs {
                    let load = backlog[run] + arrivals[run]
                    loads.append(load)
                    if arrivals[run] > capacity { over += 1 }
                    backlog[run] = load - min(load, capacity)
                }
                return Self.day(index, calendar[index], arrivals: arrivals, loads: loads, capacity: capacity, over: over, runs: setup.runs)
            }
        }
        let reps = names.map { rep in
            let days = days(of: [rep])
            return RepForecast(rep: rep, expected: Self.rounded(days.reduce(0) { $0 + $1.expected }, places: 2), days: days)
        }
        self.reps = reps
        teams = (setup.routing.rules?.teams ?? []).map { team in
            let members = team.members.map(\.rep.email)
            let days = days(of: members)
            return TeamForecast(team: team.name, members: members, expected: Self.rounded(days.reduce(0) { $0 + $1.expected }, places: 2), days: days)
        }
        total = calendar.indices.map { index in
            let arrivals = (0..<setup.runs).map { run in names.reduce(0) { $0 + counts.handOffs(rep: $1, day: index)[run] } }
            return Self.day(index, calendar[index], arrivals: arrivals, loads: nil, capacity: 0, over: 0, runs: setup.runs)
        }
        flagged = calendar.indices.flatMap { index in
            reps.compactMap { rep -> Flag? in
                let day = rep.days[index]
                guard day.flagged else { return nil }
                return Flag(date: day.date, weekday: day.weekday, rep: rep.rep, handOffsP50: day.p50, loadP50: day.loadP50, capacity: day.capacity,
                            overCapacityChance: day.overCapacityChance)
            }
        }
    }

    private static func day(
        _ index: Int, _ calendar: (local: Int64, date: String, weekday: String), arrivals: [Int], loads: [Int]?,
        capacity: Int, over: Int, runs: Int
    ) -> Day {
        let sorted = arrivals.sorted()
        let chance = rounded(Double(over) / Double(runs), places: 3)
        return Day(
            day: index, date: calendar.date, weekday: calendar.weekday, capacity: capacity,
            expected: rounded(Double(arrivals.reduce(0, +)) / Double(runs), places: 2),
            p10: percentile(0.1, of: sorted), p50: percentile(0.5, of: sorted), p90: percentile(0.9, of: sorted),
            loadP50: loads.map { percentile(0.5, of: $0.sorted()) } ?? 0,
            overCapacityChance: chance, flagged: over * 2 > runs)
    }

    /// The value at rank `q` of sorted run values, nearest rank: with few runs the interval is
    /// one of the values actually seen, never an interpolation between them.
    static func percentile(_ q: Double, of sorted: [Int]) -> Int {
        guard !sorted.isEmpty else { return 0 }
        return sorted[Int((q * Double(sorted.count - 1)).rounded())]
    }

    static func rounded(_ value: Double, places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (value * scale).rounded() / scale
    }
}

extension ForecastReport {
    public func json() throws -> String { try ReportJSON.encode(self) }
}
