import Foundation
import NurtureCore
import NurturePersonas
import PropertyBased
import Testing
@testable import NurtureSimulator

/// The reps' answers in a dry-run: drawn per prospect, converted to business hours, fed through
/// the engine (rejections recycle, expiry follows `on_expiry`), and counted as the SLA ledger counts.
@Suite("Rep behaviour and the SLA forecast")
struct RepForecastTests {
    static func reps(
        acceptance: [String: Double] = ["A": 0.9, "B": 0.6], fallback: Double? = 0.5,
        answer: LogNormalDelay = LogNormalDelay(median: .hours(2), spread: 0.8),
        touch: LogNormalDelay = LogNormalDelay(median: .hours(4), spread: 0.8)
    ) -> RepBehaviour {
        RepBehaviour(
            acceptance: acceptance, defaultAcceptance: fallback, timeToAnswer: answer, timeToFirstTouch: touch,
            rejectionReasons: Mix([("not-ready", 0.7), ("bad-fit", 0.3)])!)
    }

    /// The small scenario, whose lifecycle also recycles: `reject(not-ready)` back to `lead` (where
    /// the score can hand the lead off again), `reject(bad-fit)` to `disqualified`.
    static func setup(
        _ reps: RepBehaviour, prospects: Int = 3000, expiry: Lifecycle.HandOffExpiry = .recordOnly, seed: UInt64 = 7
    ) -> SimulationSetup {
        var setup = SimTestKit.smallSetup(prospects: prospects, seed: seed)
        setup.definitions.lifecycle.stages.append(Stage(id: "disqualified", name: "Disqualified", owner: .marketing))
        setup.definitions.lifecycle.transitions += [
            StageTransition(from: ["mql"], to: "lead", trigger: .action(RepAction("reject", reason: "not-ready"))),
            StageTransition(from: ["mql"], to: "disqualified", trigger: .action(RepAction("reject", reason: "bad-fit"))),
        ]
        setup.definitions.lifecycle.serviceLevels.append(
            ServiceLevel(stage: "sal", owner: .sales, promise: "first touch", within: .businessHours(16)))
        setup.definitions.lifecycle.handOffExpiry = expiry
        setup.definitions.lifecycle.volumeGoal = Lifecycle.VolumeGoal(handOffs: 100, per: .week)
        setup.population.reps = reps
        return setup
    }

    static func counts(_ setup: SimulationSetup, threads: Int = 2) async throws -> SLACounts {
        try #require(try await Simulation.run(setup, threads: threads).sla)
    }

    // MARK: The draw

    @Test("answers come in business hours: a hand-off late on Friday is answered on Monday")
    func businessHours() throws {
        let definitions = Self.setup(Self.reps()).definitions
        let answers = RepAnswers(Self.reps(answer: LogNormalDelay(median: .hours(2), spread: 0)), definitions: definitions, days: 14)
        let friday = SimTestKit.start.addingTimeInterval(4 * 86_400 + 2 * 3600)  // Fri 16:00 UTC, an hour before closing
        var random = ProspectRandom(seed: 1, index: 0)
        let answer = answers.draw(grade: 0, handedOff: friday, random: &random)
        #expect(answer.at == friday.addingTimeInterval(3 * 86_400 - 6 * 3600))  // Mon 10:00 UTC
        // The same stream gives the same answer; the grade sets the acceptance.
        var again = ProspectRandom(seed: 1, index: 0)
        #expect(answers.draw(grade: 0, handedOff: friday, random: &again) == answer)
        #expect(answers.gradeIndex("B") == 1 && answers.gradeIndex("Z") == 3)
        #expect(answers.acceptance == [0.9, 0.6, 0.5, 0.5])
        // A draw from far in the tail is cut at the run's length: it lands past the end all the same.
        let slow = RepAnswers(Self.reps(answer: LogNormalDelay(median: .hours(500), spread: 5)), definitions: definitions, days: 14)
        #expect(slow.afterBusinessSeconds(1e12, from: friday) >= friday.addingTimeInterval(14 * 86_400))
    }

    @Test("acceptance 1 always accepts and 0 always rejects, with reasons in their shares")
    func certainAnswers() throws {
        let definitions = Self.setup(Self.reps()).definitions
        let always = RepAnswers(Self.reps(acceptance: [:], fallback: 1), definitions: definitions, days: 14)
        let never = RepAnswers(Self.reps(acceptance: [:], fallback: 0), definitions: definitions, days: 14)
        var random = ProspectRandom(seed: 3, index: 9)
        var notReady = 0
        for _ in 0..<4000 {
            #expect(always.draw(grade: 0, handedOff: SimTestKit.start, random: &random).rejection == nil)
            let rejection = try #require(never.draw(grade: 0, handedOff: SimTestKit.start, random: &random).rejection)
            if rejection == 0 { notReady += 1 }
        }
        #expect(abs(Double(notReady) / 4000 - 0.7) < 0.03)
    }

    @Test("a setup the hand-off desk could not stand for is refused with the reason")
    func setupChecks() async throws {
        var reps = Self.reps()
        reps.rejectionReasons = Mix([("no-budget", 1.0)])!
        await #expect { try await Simulation.run(Self.setup(reps, prospects: 10)) } throws: { error in
            "\(error)" == "reps: rejection reason 'no-budget' is not one lifecycle.yml knows for reject; it knows bad-fit, not-ready"
        }
        await #expect { try await Simulation.run(Self.setup(Self.reps(fallback: nil), prospects: 10)) } throws: { error in
            "\(error)" == "reps: acceptance needs a default: it lists no grade C"
        }
    }

    // MARK: The run

    @Test("counts conserve: every hand-off is accepted, rejected, expired or open; answers are counted once")
    func conservation() async throws {
        let gen = zip(Gen.int(in: 0...1_000_000), Gen.int(in: 0...10), Gen.int(in: 0...2))
        await propertyCheck(count: 8, input: gen) { seed, tenths, expiry in
            let p = Double(tenths) / 10
            let onExpiry: Lifecycle.HandOffExpiry = [.recordOnly, .action(RepAction("reject", reason: "not-ready")), .queue][expiry]
            let reps = Self.reps(acceptance: [:], fallback: p, answer: LogNormalDelay(median: .hours(6), spread: 1.2))
            let c = try await Self.counts(Self.setup(reps, prospects: 600, expiry: onExpiry, seed: UInt64(seed)))
            #expect(c.handOffs == c.accepted + c.rejected + c.expired + c.open)
            #expect(c.handOffs == c.gradeHandOffs.reduce(0, +))
            #expect(c.accepted == c.gradeAccepted.reduce(0, +) && c.rejected == c.gradeRejected.reduce(0, +))
            #expect(c.rejected == c.reasons.reduce(0, +))
            #expect(c.answerTenths.reduce(0, +) == c.accepted + c.rejected)
            #expect(c.answerDue == c.accepted + c.rejected + c.expired)
            #expect(c.answeredInTime <= c.answerDue && c.touchedInTime <= c.touchDue && c.touched <= c.accepted)
            #expect(c.returnedLeads <= c.recycledLeads && c.reenrolledLeads <= c.recycledLeads)
            if case .queue = onExpiry {} else { #expect(c.requeued == 0) }
            if p == 1 { #expect(c.rejected == 0) }
            if p == 0 { #expect(c.accepted == 0) }
        }
    }

    @Test("the acceptance rate of each grade falls within the binomial interval of its probability")
    func acceptanceMatchesTheModel() async throws {
        await propertyCheck(count: 4, input: Gen.int(in: 0...1_000_000)) { seed in
            let c = try await Self.counts(Self.setup(Self.reps(), prospects: 4000, seed: UInt64(seed)))
            for (grade, p) in [(0, 0.9), (1, 0.6)] {
                let answered = c.gradeAccepted[grade] + c.gradeRejected[grade]
                #expect(answered > 100)
                // Four standard errors: a wrong probability fails, chance almost never does.
                let tolerance = 4 * (p * (1 - p) / Double(answered)).squareRoot()
                #expect(abs(Double(c.gradeAccepted[grade]) / Double(answered) - p) < tolerance, "grade \(grade)")
            }
        }
    }

    @Test("rejections go through the engine: not-ready leads come back and are handed off again")
    func rejectionsRecycle() async throws {
        let c = try await Self.counts(Self.setup(Self.reps(acceptance: [:], fallback: 0)))
        #expect(c.rejected > 0 && c.accepted == 0)
        // Only not-ready moves the lead back to `lead`, where the score hands it off again; bad-fit
        // disqualifies. Both stages are marketing's, so both count as recycled.
        #expect(c.recycledLeads > 0)
        #expect(c.returnedLeads > 0 && c.returnedLeads < c.recycledLeads)
        #expect(c.reenrolledLeads == 0)  // these transitions enroll in no sequence
    }

    @Test("answers later than the service level expire, and on_expiry decides what follows")
    func expiry() async throws {
        let slow = Self.reps(acceptance: [:], fallback: 1, answer: LogNormalDelay(median: .hours(20), spread: 0))
        let recorded = try await Self.counts(Self.setup(slow, expiry: .recordOnly))
        #expect(recorded.expired > 0 && recorded.accepted == 0 && recorded.answeredInTime == 0)
        #expect(recorded.recycledLeads == 0)
        let rejected = try await Self.counts(Self.setup(slow, expiry: .action(RepAction("reject", reason: "not-ready"))))
        #expect(rejected.expired > 0 && rejected.recycledLeads > 0 && rejected.returnedLeads > 0)
        let queued = try await Self.counts(Self.setup(slow, expiry: .queue))
        // The queue is as slow: its hand-offs expire too, and stay expired.
        #expect(queued.requeued > 0 && queued.expired == queued.handOffs - queued.open)
        #expect(queued.requeued == queued.handOffs - recorded.handOffs)
    }

    @Test("same seed with reps: identical stats and text, JSON and HTML on 1, 2 and 3 threads")
    func determinism() async throws {
        for setup in [Self.setup(Self.reps(), prospects: 3 * 1024 + 100, expiry: .queue),
                      try SimTestKit.shippedSetup(prospects: 2 * 1024 + 50, days: 30, seed: 11)] {
            #expect(setup.population.reps != nil)
            let one = try await Simulation.run(setup, threads: 1)
            let report = SimulationReport(stats: one, setup: setup)
            let (json, text, html) = (try report.json(), report.text, report.html)
            for threads in [2, 3] {
                let other = try await Simulation.run(setup, threads: threads)
                #expect(other == one)
                let again = SimulationReport(stats: other, setup: setup)
                #expect(try again.json() == json && again.text == text && again.html == html)
            }
            #expect((one.sla?.handOffs ?? 0) > 0)
        }
    }

    @Test("the forecast reads the counts as the ledger would, and only runs with reps: show it")
    func forecast() async throws {
        let setup = Self.setup(Self.reps(), expiry: .queue)
        let stats = try await Simulation.run(setup, threads: 2)
        let c = try #require(stats.sla)
        let forecast = try #require(SimulationReport(stats: stats, setup: setup).slaForecast)
        #expect(forecast.marketing.delivered == c.handOffs)
        #expect(forecast.marketing.goal == 200)  // 100 a week over 14 days
        #expect(forecast.marketing.acceptedShare.count == c.accepted && forecast.marketing.acceptedShare.total == c.accepted + c.rejected)
        #expect(forecast.byGrade.map(\.grade) == ["A", "B", "C"])
        #expect(forecast.promises.map(\.promise) == ["answer the hand-off", "first touch"])
        #expect(forecast.promises[0].kept.count == c.answeredInTime && forecast.promises[0].within == "8 business hours")
        #expect(forecast.rejectionReasons.map(\.reason) == ["not-ready", "bad-fit"])
        let median = try #require(forecast.reps.hoursToAnswerMedian), p90 = try #require(forecast.reps.hoursToAnswerP90)
        #expect(median > 0 && median <= p90)
        let report = SimulationReport(stats: stats, setup: setup)
        #expect(report.text.contains("SLA forecast") && report.html.contains("<section id=\"sla\">"))
        #expect(try report.json().contains("\"sla_forecast\""))

        let plain = SimTestKit.smallSetup(prospects: 500)
        let without = SimulationReport(stats: try await Simulation.run(plain, threads: 2), setup: plain)
        #expect(without.slaForecast == nil)
        #expect(!without.text.contains("SLA forecast") && !without.html.contains("id=\"sla\""))
        #expect(try !without.json().contains("sla_forecast"))
    }

    @Test("docs/simulation-report.md documents every key of the forecast")
    func documented() async throws {
        let setup = Self.setup(Self.reps(), expiry: .queue)
        let report = SimulationReport(stats: try await Simulation.run(setup, threads: 2), setup: setup)
        let keys = try SimTestKit.jsonKeys(ReportJSON.encode(try #require(report.slaForecast)))
        let docs = try SimTestKit.reportDocs()
        let section = try #require(docs.components(separatedBy: "## Rep behaviour and the SLA forecast").dropFirst().first)
        for key in keys { #expect(section.contains("`\(key)`"), "the section does not mention `\(key)`") }
    }
}
