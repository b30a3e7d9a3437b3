import Foundation
import NurtureCore
import NurturePersonas
import NurtureSimulator
import Testing

/// The key correctness test: a scenario simple enough to solve exactly, solved by dynamic
/// programming over score states, and checked against 20,000 simulated prospects.
///
/// One sequence of K emails a day apart, sent at once (always-open window in UTC, no cap), with
/// no decay, no fit, no lifecycle moves, and one threshold `score >= T` that hands off. Opens
/// earn `o` points, clicks `c`, unsubscribes nothing. One persona: per delivered email a human
/// open with probability p; given an open, a click with q and an unsubscribe with u,
/// independently. Delays have no spread: the open comes 1h after the send, the click 2m after
/// the open, the unsubscribe 2m after the last queued event, all long before the next email.
///
/// What the engine does with that: the threshold hands off at the first event that takes the
/// score to T, ending the enrollment (no more emails); an unsubscribe ends it too, unless it
/// has already ended. Events already queued still happen and count in the funnel, so an
/// unsubscribe drawn for the email that hands off counts as `unsubscribed` (not as the ending).
/// Thresholds apply to active enrollments only: sending the last email of a sequence completes
/// the enrollment, so responses to that email can no longer hand off unless a wait follows it.
@Suite("Exact values")
struct ExactValueTests {
    /// The exact model, solved by dynamic programming over the score of prospects still enrolled.
    struct Model {
        var emails: Int
        var open: Double
        var click: Double
        var unsubscribe: Double
        var openPoints: Int
        var clickPoints: Int
        var threshold: Int
        /// True when a wait follows the last email, so the enrollment is still active while the
        /// prospect responds to it; false when the sequence ends on the email.
        var lastEmailCanHandOff: Bool

        struct Solution {
            /// Probability of a hand-off within the run.
            var handOff = 0.0
            /// Probability of an unsubscribe event within the run (whatever ended the enrollment).
            var unsubscribe = 0.0
            /// Probability that an unsubscribe ended the enrollment.
            var exitedOnUnsubscribe = 0.0
            /// Probability of a hand-off in response to email k (0-based).
            var handOffByEmail: [Double] = []
            /// Probability of receiving exactly k emails, k = 0...emails.
            var emailCount: [Double] = []
        }

        func solve() -> Solution {
            precondition(threshold > 0 && openPoints >= 0 && clickPoints >= 0)
            var solution = Solution()
            // Enrolled prospects by score (always below the threshold: reaching it hands off).
            var enrolled = [Double](repeating: 0, count: threshold)
            enrolled[0] = 1
            var receiving = [Double]()
            for email in 0..<emails {
                let active = enrolled.reduce(0, +)
                receiving.append(active)
                // Sending the last email completes the enrollment, unless a wait follows it.
                let stillActive = email < emails - 1 || lastEmailCanHandOff
                var next = [Double](repeating: 0, count: threshold)
                var handedOff = 0.0
                for score in 0..<threshold where enrolled[score] > 0 {
                    let mass = enrolled[score]
                    // Not opened: still enrolled, same score.
                    next[score] += mass * (1 - open)
                    // Opened: an unsubscribe is counted whatever else happens.
                    solution.unsubscribe += mass * open * unsubscribe
                    for (points, chance) in [(openPoints, 1 - click), (openPoints + clickPoints, click)] {
                        let reached = score + points
                        let share = mass * open * chance
                        if reached >= threshold {
                            // The open or the click (both queued before the unsubscribe) hands
                            // off, if the enrollment is still active to see it.
                            if stillActive { handedOff += share }
                        } else if stillActive {
                            next[reached] += share * (1 - unsubscribe)
                            solution.exitedOnUnsubscribe += share * unsubscribe
                        }
                    }
                }
                solution.handOffByEmail.append(handedOff)
                solution.handOff += handedOff
                enrolled = next
            }
            receiving.append(0)
            // Nobody receives no email: the first goes out at enrollment.
            solution.emailCount = [1 - receiving[0]] + (1...emails).map { receiving[$0 - 1] - receiving[$0] }
            return solution
        }
    }

    // MARK: The DP on hand-checkable cases

    @Test("one email: hand-off is open and click, unsubscribe is open and unsubscribe")
    func oneEmail() {
        var model = Model(emails: 1, open: 0.4, click: 0.3, unsubscribe: 0.05, openPoints: 1, clickPoints: 5,
                          threshold: 6, lastEmailCanHandOff: true)
        var solution = model.solve()
        #expect(abs(solution.handOff - 0.4 * 0.3) < 1e-12)
        #expect(abs(solution.unsubscribe - 0.4 * 0.05) < 1e-12)
        // An unsubscribe drawn with the click that hands off does not end the enrollment.
        #expect(abs(solution.exitedOnUnsubscribe - 0.4 * 0.7 * 0.05) < 1e-12)
        #expect(solution.emailCount == [0, 1])

        // A threshold an open reaches: every opener is handed off.
        model.threshold = 1
        solution = model.solve()
        #expect(abs(solution.handOff - 0.4) < 1e-12)
        #expect(abs(solution.exitedOnUnsubscribe) < 1e-12)

        // A threshold out of reach of one email.
        model.threshold = 7
        solution = model.solve()
        #expect(solution.handOff == 0)
        #expect(abs(solution.unsubscribe - 0.02) < 1e-12)

        // Without a wait after it, responses to the only email cannot hand off.
        model.threshold = 6
        model.lastEmailCanHandOff = false
        solution = model.solve()
        #expect(solution.handOff == 0)
        #expect(abs(solution.unsubscribe - 0.02) < 1e-12)
        #expect(solution.exitedOnUnsubscribe == 0)
    }

    @Test("two emails, worked by hand")
    func twoEmails() {
        let model = Model(emails: 2, open: 0.4, click: 0.3, unsubscribe: 0.05, openPoints: 1, clickPoints: 5,
                          threshold: 2, lastEmailCanHandOff: true)
        let solution = model.solve()
        // Email 1: open and click (6 points) hands off: 0.12. Open without click leaves 1 point,
        // enrolled unless unsubscribed: 0.28 * 0.95 = 0.266. No open: 0.6 at 0 points.
        // Email 2: from 1 point any open hands off (0.266 * 0.4); from 0, open and click (0.6 * 0.12).
        #expect(abs(solution.handOffByEmail[0] - 0.12) < 1e-12)
        #expect(abs(solution.handOffByEmail[1] - (0.266 * 0.4 + 0.6 * 0.12)) < 1e-12)
        #expect(abs(solution.handOff - 0.2984) < 1e-12)
        // Unsubscribes: 0.4 * 0.05 for email 1, and the same share of the 0.866 still enrolled for email 2.
        #expect(abs(solution.unsubscribe - (0.02 + 0.866 * 0.02)) < 1e-12)
        #expect(abs(solution.emailCount[1] - 0.134) < 1e-12)
        #expect(abs(solution.emailCount[2] - 0.866) < 1e-12)
    }

    @Test("the DP conserves probability")
    func conservation() {
        for canHandOff in [true, false] {
            let model = Model(emails: 5, open: 0.4, click: 0.3, unsubscribe: 0.05, openPoints: 1, clickPoints: 5,
                              threshold: 8, lastEmailCanHandOff: canHandOff)
            let solution = model.solve()
            #expect(abs(solution.emailCount.reduce(0, +) - 1) < 1e-12)
            #expect(solution.handOff > 0 && solution.handOff < 1)
            #expect(abs(solution.handOffByEmail.reduce(0, +) - solution.handOff) < 1e-12)
        }
    }

    // MARK: The scenario

    static let prospects = 20_000
    static let utc = TimeZone(identifier: "UTC")!

    static func setup(_ model: Model, prospects: Int = prospects) -> SimulationSetup {
        let lifecycle = Lifecycle(
            stages: [Stage(id: "lead", name: "Lead", owner: .marketing), Stage(id: "mql", name: "MQL", owner: .sales)],
            entryStage: "lead", handoffStage: "mql")
        let scoring = ScoringModel(
            grades: [("A", 0)],
            engagement: [
                .emailOpen: EngagementRule(points: Double(model.openPoints)),
                .emailClick: EngagementRule(points: Double(model.clickPoints)),
                .unsubscribe: EngagementRule(points: 0),
            ],
            halfLife: nil)
        var steps: [Step] = []
        for email in 1...model.emails {
            steps.append(Step(id: "email-\(email)", kind: .email(template: "exact/email-\(email)"), next: steps.count + 1))
            if email < model.emails || model.lastEmailCanHandOff {
                steps.append(Step(id: "wait-\(email)", kind: .wait(.days(1)), next: steps.count + 1))
            }
        }
        steps[steps.count - 1].next = nil
        let sequence = NurtureSequence(
            id: "exact", sendWindow: SendWindow(days: Set(Weekday.allCases), opens: 0, closes: 86_400, timeZone: utc),
            frequencyCap: nil, exits: [],
            thresholds: [Threshold(condition: .metric(.score, .greaterOrEqual, Double(model.threshold)),
                                   action: .handOff(reason: "reached \(model.threshold)"))],
            steps: steps)
        let persona = Persona(
            id: "only", share: 1, open: model.open, click: model.click, reply: 0, unsubscribe: model.unsubscribe,
            bounce: 0, machineOpen: 0,
            openDelay: LogNormalDelay(median: .hours(1), spread: 0),
            clickDelay: LogNormalDelay(median: .minutes(2), spread: 0),
            fatigue: 1)
        let population = Population(personas: [persona], timeZones: Mix([("UTC", 1)])!)!
        return SimulationSetup(
            definitions: DefinitionSet(lifecycle: lifecycle, scoring: scoring, sequences: [sequence]),
            sequence: "exact", population: population, prospects: prospects, days: model.emails + 3, seed: 20_240_601,
            start: Date(timeIntervalSince1970: 1_767_571_200),  // 2026-01-05T00:00:00Z
            reps: 1, capacityPerRep: 1_000_000)
    }

    /// |simulated - exact| within the 99% normal interval for a proportion out of `n`.
    static func expectWithin(_ count: Int, of n: Int, exact: Double, _ what: String,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        let simulated = Double(count) / Double(n)
        let half = 2.576 * (exact * (1 - exact) / Double(n)).squareRoot()
        #expect(abs(simulated - exact) <= half,
                "\(what): simulated \(simulated), exact \(exact), allowed ±\(half)", sourceLocation: sourceLocation)
    }

    static let base = Model(emails: 5, open: 0.4, click: 0.3, unsubscribe: 0.05, openPoints: 1, clickPoints: 5,
                            threshold: 8, lastEmailCanHandOff: false)

    @Test("5 emails a day apart: simulated hand-off and unsubscribe rates match the exact ones", arguments: [false, true])
    func simulatedMatchesExact(lastEmailCanHandOff: Bool) async throws {
        var model = Self.base
        model.lastEmailCanHandOff = lastEmailCanHandOff
        let exact = model.solve()
        let setup = Self.setup(model)
        let stats = try await Simulation.run(setup, threads: 2)
        let n = Self.prospects
        #expect(stats.prospects == n)
        #expect(stats[.enrolled] == n)
        #expect(stats[.delivered] == n)
        #expect(stats[.bounced] == 0 && stats[.replied] == 0 && stats.machineOpens == 0)

        // The two rates the test is about.
        Self.expectWithin(stats[.handedOff], of: n, exact: exact.handOff, "hand-off rate")
        Self.expectWithin(stats[.unsubscribed], of: n, exact: exact.unsubscribe, "unsubscribe rate")
        // How enrollments ended.
        #expect(stats.endings[SimulationStats.Ending.handedOff.rawValue] == stats[.handedOff])
        Self.expectWithin(stats.endings[SimulationStats.Ending.unsubscribed.rawValue], of: n,
                          exact: exact.exitedOnUnsubscribe, "enrollments ended by an unsubscribe")
        #expect(stats.endings[SimulationStats.Ending.stillActive.rawValue] == 0)
        #expect(stats.endings.reduce(0, +) == n)

        // Hand-offs happen 1h after an email (the open) or 1h02m (the click): whole hour 1 of each day.
        for (hour, count) in stats.hoursToHandOff.enumerated() where count > 0 {
            #expect(hour % 24 == 1, "a hand-off \(hour) hours after enrollment")
        }
        for email in 0..<model.emails {
            Self.expectWithin(stats.hoursToHandOff[email * 24 + 1], of: n, exact: exact.handOffByEmail[email],
                              "hand-offs after email \(email + 1)")
        }
        if !lastEmailCanHandOff { #expect(stats.hoursToHandOff[(model.emails - 1) * 24 + 1] == 0) }
        // Emails received: the first always, each further one while still enrolled.
        for count in 1...model.emails {
            Self.expectWithin(stats.emailsPerProspect[count], of: n, exact: exact.emailCount[count],
                              "prospects receiving exactly \(count) emails")
        }
        #expect(stats.emails == stats.steps.map(\.sent).reduce(0, +))

        let report = SimulationReport(stats: stats, setup: setup)
        print("""
            exact-value check (last email can hand off: \(lastEmailCanHandOff)): \
            hand-off simulated \(report[.handedOff].rate) exact \(exact.handOff); \
            unsubscribe simulated \(report[.unsubscribed].rate) exact \(exact.unsubscribe)
            """)
    }

    @Test("the same scenario with a threshold no one reaches never hands off")
    func unreachableThreshold() async throws {
        var model = Self.base
        model.threshold = 1000
        model.lastEmailCanHandOff = true
        let stats = try await Simulation.run(Self.setup(model, prospects: 2000), threads: 2)
        #expect(stats[.handedOff] == 0)
        let exact = model.solve()
        #expect(exact.handOff == 0)
        Self.expectWithin(stats[.unsubscribed], of: 2000, exact: exact.unsubscribe, "unsubscribe rate")
    }
}
