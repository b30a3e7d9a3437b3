import Foundation
import NurtureCore
import NurturePersonas
import NurtureSimulator
import Testing

/// The forecast with a team: the hand-offs the engine gives the queue are shared out as routing
/// would share them, run by run and day by day, on ``ForecastTests``'s scenario where every run is
/// the same.
struct ForecastTeamRoutingTests {
    static let bo = Rep(name: "Bo Chen", email: "bo@example.com")
    static let cy = Rep(name: "Cy Diaz", email: "cy@example.com")
    /// Bo is away on Wednesday 2026-01-07.
    static let wednesday = CalendarDay(parsing: "2026-01-07")!

    static func definitions(cyCapacity: Int = 3, boAway: Bool = true) -> DefinitionSet {
        var definitions = ForecastTests.definitions
        definitions.lifecycle.teams = [Team(name: "Inside sales", members: [
            Team.Member(rep: ForecastTests.ana, capacity: 1),
            Team.Member(rep: bo, capacity: 2, away: boAway ? [wednesday...wednesday] : []),
            Team.Member(rep: cy, capacity: cyCapacity),
        ])]
        return definitions
    }

    static func forecast(cursor: String?, threads: Int = 2, cyCapacity: Int = 3, boAway: Bool = true) throws -> (ForecastReport, ForecastCounts) {
        let definitions = definitions(cyCapacity: cyCapacity, boAway: boAway)
        let setup = ForecastSetup(
            definitions: definitions, population: ForecastTests.population(certain: true), start: ForecastTests.start, days: 10,
            runs: 3, seed: 11, routing: .production(lifecycle: definitions.lifecycle, capacityPerRep: 5, cursor: cursor))
        let leads = ForecastTests.leads(definitions: definitions).map(\.lead)
        let counts = try Forecast.run(setup, threads: threads) { each in for lead in leads { try each(lead) } }
        return (ForecastReport(counts: counts, setup: setup), counts)
    }

    @Test func theQueuesHandOffsAreSharedAsRoutingWouldShareThem() throws {
        let definitions = Self.definitions()
        let rules = try #require(definitions.lifecycle.routing)
        // The engine's reps, before routing: the same scenario with routing by owner only.
        let unrouted = ForecastSetup(
            definitions: definitions, population: ForecastTests.population(certain: true), start: ForecastTests.start, days: 10,
            runs: 3, seed: 11, routing: .owners(lifecycle: definitions.lifecycle, capacityPerRep: 5))
        let leads = ForecastTests.leads(definitions: definitions).map(\.lead)
        let engine = try Forecast.run(unrouted, threads: 1) { each in for lead in leads { try each(lead) } }
        let queue = ForecastTests.queue.email, ana = ForecastTests.ana.email
        #expect(engine.handOffs.keys.sorted() == [ana, queue])

        // Routing by hand, day by day from Monday: Ana's own first, then the queue's one at a time.
        let startDay = CalendarDay(ForecastTests.start, in: rules.businessHours.timeZone).number
        var cursor: String? = Self.cy.email
        var expected: [String: [Int]] = [:]
        for day in 0..<10 {
            let own = engine.handOffs(rep: ana, day: day)[0]
            var assigned = [ana: own]
            for _ in 0..<engine.handOffs(rep: queue, day: day)[0] {
                let decision = HandOffRouting.route(
                    .init(rep: ForecastTests.queue, day: CalendarDay(number: startDay + Int64(day)), assigned: assigned, rejectedBy: [],
                          cursor: cursor), rules: rules)
                assigned[decision.rep.email, default: 0] += 1
                if decision.movesCursor { cursor = decision.rep.email }
            }
            for rep in [ana, Self.bo.email, Self.cy.email] { expected[rep, default: []].append(assigned[rep, default: 0]) }
        }
        #expect(expected.values.joined().reduce(0, +) == engine.handOffs.values.joined().reduce(0, +) / 3, "every hand-off is routed")
        #expect(expected[Self.bo.email]![2] == 0, "Bo is away on Wednesday")

        let (report, counts) = try Self.forecast(cursor: Self.cy.email)
        #expect(counts.handOffs[queue] == nil, "the queue keeps none while someone is present")
        for rep in [ana, Self.bo.email, Self.cy.email] {
            let days = try #require(report.reps.first { $0.rep == rep }).days
            #expect(days.map(\.p50) == expected[rep]!, "\(rep)")
            #expect(days.allSatisfy { $0.p10 == $0.p90 })
        }
        // Capacities are the team's: unequal, zero when away or at the weekend.
        let bo = try #require(report.reps.first { $0.rep == Self.bo.email }).days
        #expect(bo.map(\.capacity) == [2, 2, 0, 2, 2, 0, 0, 2, 2, 2])
        let cy = try #require(report.reps.first { $0.rep == Self.cy.email }).days
        #expect(cy.map(\.capacity) == [3, 3, 3, 3, 3, 0, 0, 3, 3, 3])
        #expect(report.reps.first { $0.rep == queue }?.days.first?.capacity == 5, "a rep on no team has --capacity")
        // The team's days add its members'; flags compare the day's counted hand-offs with capacity.
        let team = try #require(report.teams.first)
        #expect(team.days.map(\.p50) == (0..<10).map { day in expected.values.reduce(0) { $0 + $1[day] } })
        let teamCapacity: [Int] = (0..<10).map { day in
            let ana = day % 7 < 5 ? 1 : 0
            return ana + bo[day].capacity + cy[day].capacity
        }
        #expect(team.days.map(\.capacity) == teamCapacity)
        for rep in report.reps { #expect(rep.days.allSatisfy { $0.flagged == ($0.p50 > $0.capacity) }) }
    }

    @Test func theRotationStartsFromTheStoresCursorAndTheReportDoesNotDependOnThreads() throws {
        // Bo and Cy with the same capacity, both present: Tuesday's two go one each, in the order
        // the cursor gives, and Wednesday's one goes to whichever was not last on Tuesday.
        let one = try Self.forecast(cursor: Self.cy.email, threads: 1, cyCapacity: 2, boAway: false).0
        for threads in [2, 3] { #expect(try Self.forecast(cursor: Self.cy.email, threads: threads, cyCapacity: 2, boAway: false).0 == one) }
        let fromBo = try Self.forecast(cursor: Self.bo.email, cyCapacity: 2, boAway: false).0
        let tuesday = { (report: ForecastReport, rep: Rep) in report.reps.first { $0.rep == rep.email }?.days[1].p50 }
        #expect(tuesday(one, Self.bo) == 1 && tuesday(one, Self.cy) == 1)
        let bo = { (report: ForecastReport) in report.reps.first { $0.rep == Self.bo.email }?.days.map(\.p50) }
        #expect(bo(one)?[2] == 1 && bo(fromBo)?[2] == 0, "the rotation starts from the cursor and goes on from day to day")
    }
}
