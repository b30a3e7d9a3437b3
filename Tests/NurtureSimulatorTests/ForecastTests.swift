import Foundation
import NurtureCore
import NurturePersonas
import NurtureSimulator
import Testing

/// The forecast of the live pipeline on leads mid-sequence, on a scenario simple enough to work
/// out by hand: three emails two days apart, a hand-off at the first click, and personas that
/// either open and click every email an hour and an hour later, or never open at all.
struct ForecastTests {
    static let start = Date(timeIntervalSince1970: 1_767_621_600)  // Monday 2026-01-05T14:00:00Z
    static let ana = Rep(name: "Ana Reyes", email: "ana@example.com")
    static let queue = Rep(name: "Sales queue", email: "queue@example.com")

    static var definitions: DefinitionSet {
        let utc = TimeZone(identifier: "UTC")!
        let lifecycle = Lifecycle(
            stages: [Stage(id: "lead", name: "Lead", owner: .marketing), Stage(id: "mql", name: "MQL", owner: .sales)],
            entryStage: "lead", handoffStage: "mql", defaultOwner: queue,
            businessHours: SendWindow(days: [.monday, .tuesday, .wednesday, .thursday, .friday], opens: 9 * 3600, closes: 17 * 3600, timeZone: utc))
        let scoring = ScoringModel(engagement: [.emailClick: EngagementRule(points: 6)])
        let steps = [
            Step(id: "one", kind: .email(template: "drip/one"), next: 1),
            Step(id: "pause-1", kind: .wait(.days(2)), next: 2),
            Step(id: "two", kind: .email(template: "drip/two"), next: 3),
            Step(id: "pause-2", kind: .wait(.days(2)), next: 4),
            Step(id: "three", kind: .email(template: "drip/three"), next: nil),
        ]
        let drip = NurtureSequence(
            id: "drip", audience: .member(.stage, ["lead"], negated: false), sender: .fixed(queue), sendWindow: .always,
            thresholds: [Threshold(condition: .metric(.score, .greaterOrEqual, 5), action: .handOff(reason: "clicked"))],
            steps: steps)
        return DefinitionSet(lifecycle: lifecycle, scoring: scoring, sequences: [drip])
    }

    static func population(certain: Bool) -> Population {
        let hour = LogNormalDelay(median: .hours(1), spread: certain ? 0 : 1)
        return Population(
            personas: [
                Persona(id: "clicker", share: 0.5, open: 1, click: certain ? 1 : 0.5, reply: 0, unsubscribe: 0, openDelay: hour, clickDelay: hour),
                Persona(id: "silent", share: 0.5, open: 0, click: 0, reply: 0, unsubscribe: 0),
            ],
            timeZones: Mix([("UTC", 1)])!)!
    }

    /// Forty leads: most enrolled over the last eight days and run by the engine up to the start
    /// (as the scheduler would have), the last eight with paced enrolments still to come. Every
    /// fourth is Ana's; the others go to the default queue.
    static func leads(definitions: DefinitionSet) -> [(lead: ForecastLead, enrolled: Date)] {
        let engine = Engine(definitions)
        return (0..<40).map { index in
            let lead = Lead(id: String(format: "L-%02d", index), email: "l\(index)@example.org", timeZone: TimeZone(identifier: "UTC"),
                            owner: index % 4 == 0 ? ana : nil, stage: "lead")
            if index >= 32 {
                let at = start.addingTimeInterval(Double(index - 31) * 86_400 - 3_600)
                return (ForecastLead(lead: lead, state: nil, pending: [.init(at: at, input: .enroll(sequence: "drip"))]), at)
            }
            let at = start.addingTimeInterval(-Double(index % 8) * 86_400 - Double(index % 3) * 3_600 - 600)
            var state = engine.start(lead, at: at)
            _ = engine.step(&state, lead: lead, input: .enroll(sequence: "drip"), at: at)
            while let wake = state.nextWake, wake < start { _ = engine.step(&state, lead: lead, input: .timePassed, at: wake) }
            return (ForecastLead(lead: lead, state: state), at)
        }
    }

    static func setup(certain: Bool, days: Int = 10, runs: Int = 7, capacity: Int = 20) -> ForecastSetup {
        let definitions = definitions
        return ForecastSetup(
            definitions: definitions, population: population(certain: certain), start: start, days: days, runs: runs, seed: 11,
            routing: .owners(lifecycle: definitions.lifecycle, capacityPerRep: capacity))
    }

    static func forecast(_ setup: ForecastSetup, threads: Int) throws -> ForecastReport {
        let leads = leads(definitions: setup.definitions).map(\.lead)
        let counts = try Forecast.run(setup, threads: threads) { each in for lead in leads { try each(lead) } }
        return ForecastReport(counts: counts, setup: setup)
    }

    @Test func expectedHandOffsPerRepAndDayEqualTheDirectComputation() throws {
        let setup = Self.setup(certain: true)
        let report = try Self.forecast(setup, threads: 2)

        // By hand: a clicker hands off two hours after the first email it gets from the start on,
        // of the two sent at enrolment and two days later. The third, four days later, ends the
        // sequence as it goes, and a click after the end crosses no threshold of the sequence. A
        // silent lead never hands off.
        var expected: [String: [Int]] = [:]
        for (item, enrolled) in Self.leads(definitions: setup.definitions) {
            let rep = item.lead.owner?.email ?? Self.queue.email
            expected[rep, default: Array(repeating: 0, count: setup.days)] += []
            guard setup.persona(of: item.lead.id) == 0 else { continue }
            guard let email = [0.0, 2].map({ enrolled.addingTimeInterval($0 * 86_400) }).first(where: { $0 >= Self.start }) else { continue }
            // Counted on its business day: a weekend's on the Monday.
            let hours = setup.definitions.lifecycle.businessHours
            let day = Int(HandOffCapacity.day(of: email.addingTimeInterval(7_200), businessHours: hours).number
                - CalendarDay(Self.start, in: hours.timeZone).number)
            if day < setup.days { expected[rep]![day] += 1 }
        }
        #expect(expected.values.joined().reduce(0, +) > 5, "the scenario hands off enough leads to test")
        #expect(report.reps.map(\.rep) == [Self.ana.email, Self.queue.email])
        for rep in report.reps {
            #expect(rep.days.map(\.expected) == expected[rep.rep]!.map(Double.init), "\(rep.rep)")
            // Every run is the same here: the interval closes on the value.
            #expect(rep.days.allSatisfy { $0.p10 == $0.p50 && $0.p50 == $0.p90 && Double($0.p50) == $0.expected })
        }
        #expect(report.total.map(\.expected) == (0..<setup.days).map { day in Double(expected.values.reduce(0) { $0 + $1[day] }) })
        #expect(report.setup.leads == 40)
    }

    @Test func daysWhoseHandOffsExceedCapacityAreFlaggedAndShowWhatEarlierDaysLeftOver() throws {
        let setup = Self.setup(certain: true, capacity: 1)
        let report = try Self.forecast(setup, threads: 1)
        for rep in report.reps {
            var backlog = 0
            for day in rep.days {
                let load = backlog + day.p50
                #expect(day.loadP50 == load)
                #expect(day.capacity == (["sat", "sun"].contains(day.weekday) ? 0 : 1), "\(day.date) \(day.weekday)")
                #expect(day.flagged == (day.p50 > day.capacity), "the day's counted hand-offs, as routing compares them")
                backlog = load - min(load, day.capacity)
            }
        }
        #expect(!report.flagged.isEmpty)
        #expect(report.flagged.allSatisfy { $0.handOffsP50 > $0.capacity && $0.loadP50 >= $0.handOffsP50 })

        // The page is well-formed, lists each flagged rep-day, and has a table per rep.
        let page = try ParsedHTML(report.html)
        #expect(page.root == "html")
        #expect(page.text.contains("Days over capacity"))
        #expect(page.count("table") == 1 + report.reps.count)
        #expect(page.count("tr") == (1 + report.flagged.count) + report.reps.count * (1 + setup.days))
        #expect(report.text.contains("Days over capacity (in more than half the runs):"))
    }

    @Test func theSameSeedGivesTheSameReportOnAnyNumberOfThreads() throws {
        let setup = Self.setup(certain: false, runs: 25)
        let one = try Self.forecast(setup, threads: 1)
        let json = try one.json()
        for threads in [2, 3, 8] {
            let other = try Self.forecast(setup, threads: threads)
            #expect(try other.json() == json, "\(threads) threads")
            #expect(other.text == one.text && other.html == one.html)
        }
        for day in one.total + one.reps.flatMap(\.days) { #expect(day.p10 <= day.p50 && day.p50 <= day.p90) }
        for index in one.total.indices {
            let sum = one.reps.reduce(0.0) { $0 + $1.days[index].expected }
            #expect(abs(one.total[index].expected - sum) < 0.011, "day \(index): the reps add up to the total")
        }
        // Behaviour is drawn anew in each run: with clicks at one in two, the runs differ.
        #expect(one.total.contains { $0.p10 < $0.p90 })
        var reseeded = setup
        reseeded.seed = 12
        #expect(try Self.forecast(reseeded, threads: 2).json() != json)
    }

    @Test func aLeadWithNothingActiveIsReadButNotRunForward() throws {
        let setup = Self.setup(certain: true)
        let finished = Self.leads(definitions: setup.definitions).map(\.lead).filter { !($0.state?.enrollments.contains { $0.isActive } ?? true) }
        #expect(!finished.isEmpty)
        let counts = try Forecast.run(setup, threads: 1) { each in for lead in finished { try each(lead) } }
        #expect(counts.leads == finished.count && counts.forecastLeads == 0 && counts.handOffs.isEmpty)
    }
}
