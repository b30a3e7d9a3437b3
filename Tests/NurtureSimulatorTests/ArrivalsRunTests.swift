import Foundation
import NurtureCore
import NurtureSimulator
import Testing

/// Dry runs whose prospects arrive over time: the counts follow the schedule, a steady rate gives a
/// steady hand-off rate once the pipeline fills, and the result does not depend on the threads.
@Suite("Arrivals over time")
struct ArrivalsRunTests {
    static func day(_ offset: Int64) -> CalendarDay { CalendarDay(SimTestKit.start, in: TimeZone(identifier: "UTC")!).adding(days: offset) }

    @Test func arrivalsPerDayFollowTheFile() async throws {
        var setup = SimTestKit.smallSetup(days: 21)
        let counts: [(Int64, Int)] = [(1, 900), (2, 200), (3, 100), (4, 100), (7, 50), (8, 50), (12, 0), (19, 30)]
        setup.arrive(.daily(counts.map { ArrivalSchedule.DailyCount(day: Self.day($0.0), count: $0.1) }))
        #expect(setup.prospects == 1430)
        let stats = try await Simulation.run(setup, threads: 2)
        #expect(stats.prospects == 1430)
        #expect(stats[.enrolled] == 1430)
        let report = SimulationReport(stats: stats, setup: setup)
        let expected = (0..<21).map { day in counts.first { $0.0 == Int64(day) }?.1 ?? 0 }
        #expect(report.days.map(\.arrivals) == expected)
        #expect(report.setup.arrivals == "8 dates from a file")
        // No hand-off before the first arrival, nor sooner after a prospect's arrival than without arrivals.
        #expect(report.days[0].handOffs == 0)
        #expect(report.leadsInFlight == stats.endings[SimulationStats.Ending.stillActive.rawValue])
        #expect(report.leadsInFlight > 0, "the prospects of the last days are still in the sequence")
        #expect(report.text.contains("At the end: \(report.leadsInFlight) leads still in the sequence"))
    }

    @Test("a steady rate gives a steady weekly hand-off rate once the pipeline fills, not a flood in week one")
    func steadyRateSteadyHandOffs() async throws {
        var setup = SimTestKit.smallSetup(days: 56, seed: 3)
        setup.prospects = 1_000_000
        setup.arrive(.perBusinessDay(150))
        // Monday from 14:00 (three of eight business hours), then 39 business days.
        #expect(setup.prospects == 57 + 39 * 150)
        let stats = try await Simulation.run(setup, threads: 2)
        let weeks = (0..<8).map { week in stats.handOffsPerDay[(week * 7)..<(week * 7 + 7)].reduce(0, +) }
        // The sequence runs a week (four emails two days apart): from week three on the pipeline is full.
        let steady = Array(weeks[2...])
        let mean = Double(steady.reduce(0, +)) / Double(steady.count)
        #expect(mean > 50, "\(weeks)")
        for count in steady {
            // Poisson-like counts: within four standard deviations of the mean.
            #expect(abs(Double(count) - mean) <= 4 * mean.squareRoot(), "\(weeks)")
        }
        #expect(Double(weeks[0]) < mean, "week one is filling, not flooding: \(weeks)")

        // The same prospects all at the start flood week one instead.
        var flood = SimTestKit.smallSetup(prospects: setup.prospects, days: 56, seed: 3)
        flood.capacityPerRep = setup.capacityPerRep
        let floodStats = try await Simulation.run(flood, threads: 2)
        let floodWeeks = (0..<8).map { week in floodStats.handOffsPerDay[(week * 7)..<(week * 7 + 7)].reduce(0, +) }
        #expect(floodWeeks[0] > 3 * weeks[0] && floodWeeks[3] < weeks[3], "\(floodWeeks) against \(weeks)")
    }

    @Test("same seed with arrivals: identical stats and text, JSON and HTML with 1, 2 and 3 threads")
    func threadIndependentWithArrivals() async throws {
        for source in [ArrivalSchedule.Source.perBusinessDay(400),
                       .daily([.init(day: Self.day(0), count: 2500), .init(day: Self.day(5), count: 900)])] {
            var setup = SimTestKit.smallSetup(prospects: 3 * 1024 + 100, days: 14)
            setup.arrive(source)
            #expect(setup.prospects > 2 * 1024, "enough prospects that three threads share the work")
            let one = try await Simulation.run(setup, threads: 1)
            let two = try await Simulation.run(setup, threads: 2)
            let three = try await Simulation.run(setup, threads: 3)
            #expect(one == two)
            #expect(one == three)
            let report = SimulationReport(stats: one, setup: setup)
            for other in [two, three] {
                let again = SimulationReport(stats: other, setup: setup)
                #expect(try again.json() == report.json())
                #expect(again.text == report.text)
                #expect(again.html == report.html)
            }
            #expect(one[.handedOff] > 0)
            #expect(report.html.contains("<section id=\"arrivals\">"))
        }
    }

    @Test func timeToHandOffIsCountedFromEachProspectsArrival() async throws {
        var late = SimTestKit.smallSetup(days: 21)
        late.arrive(.daily([.init(day: Self.day(10), count: 2000)]))
        var early = SimTestKit.smallSetup(days: 21)
        early.arrive(.daily([.init(day: Self.day(0), count: 2000)]))
        let lateStats = try await Simulation.run(late, threads: 2)
        let earlyStats = try await Simulation.run(early, threads: 2)
        #expect(lateStats.handOffsPerDay.prefix(10).allSatisfy { $0 == 0 })
        #expect(lateStats.hoursToHandOff.reduce(0, +) == lateStats[.handedOff])
        // Counted from the start of the run, every hand-off would come 10 days or more after it.
        let soonest = try #require(lateStats.hoursToHandOff.firstIndex { $0 > 0 })
        #expect(soonest < 10 * 24)
        #expect(lateStats.hoursToHandOff[(11 * 24 + 6)...].allSatisfy { $0 == 0 }, "no prospect waits longer than the run left it")
        #expect(earlyStats[.handedOff] > 0 && lateStats[.handedOff] > 0)
    }

    @Test func aScheduleWithNoOneArrivingIsRefused() async {
        var setup = SimTestKit.smallSetup(days: 7)
        setup.arrive(.daily([.init(day: Self.day(2), count: 0)]))
        await #expect(throws: Simulation.Failure.self) { try await Simulation.run(setup, threads: 1) }
    }
}
