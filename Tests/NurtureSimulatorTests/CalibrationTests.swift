import Foundation
import NurtureCore
import NurtureDefinitions
import NurturePersonas
@testable import NurtureSimulator
import NurtureTestSupport
import PropertyBased
import Testing

@Suite("Calibration")
struct CalibrationTests {
    /// What "recovered" means for a history of 10,000 leads (about 6,000 with a delivered email
    /// fitted, the rest held out or bounced): the tolerances docs/calibration.md states.
    struct Tolerance {
        static let share = 0.03
        static let open = 0.05
        static let click = 0.06
        static let reply = 0.02
        static let unsubscribe = 0.015
        static let bounce = 0.03
        static let visits = 0.03
        /// Medians within this factor either way, spreads within this much.
        static let medianFactor = 1.3
        static let spread = 0.2
    }

    @Test("calibration recovers the known mixture of a synthetic history, every parameter within its tolerance")
    func recoversKnownMixture() throws {
        let known = try CalibrationKit.population("known-personas.yml")
        let start = try CalibrationKit.population("start-personas.yml")
        let (rows, outcomes) = try CalibrationKit.history(known, leads: 10_000, seed: 11)
        let report = try Calibration.fit(events: CalibrationKit.events(rows), outcomes: outcomes, start: start)
        #expect(report.fit.converged)
        for (truth, fitted) in zip(known.personas, report.fitted.personas) {
            let id = truth.id
            #expect(abs(fitted.share - truth.share) <= Tolerance.share, "\(id) share \(fitted.share) vs \(truth.share)")
            #expect(abs(fitted.open - truth.open) <= Tolerance.open, "\(id) open \(fitted.open) vs \(truth.open)")
            #expect(abs(fitted.click - truth.click) <= Tolerance.click, "\(id) click \(fitted.click) vs \(truth.click)")
            #expect(abs(fitted.reply - truth.reply) <= Tolerance.reply, "\(id) reply \(fitted.reply) vs \(truth.reply)")
            #expect(abs(fitted.unsubscribe - truth.unsubscribe) <= Tolerance.unsubscribe, "\(id) unsubscribe \(fitted.unsubscribe) vs \(truth.unsubscribe)")
            #expect(abs(fitted.bounce - truth.bounce) <= Tolerance.bounce, "\(id) bounce \(fitted.bounce) vs \(truth.bounce)")
            #expect(abs(fitted.visitsPerDay - truth.visitsPerDay) <= Tolerance.visits, "\(id) visits \(fitted.visitsPerDay) vs \(truth.visitsPerDay)")
            // A persona that hardly opens shows too few delays to pin them down.
            guard truth.open >= 0.2 else { continue }
            for (what, got, want) in [("open delay", fitted.openDelay, truth.openDelay), ("click delay", fitted.clickDelay, truth.clickDelay)] {
                let ratio = got.medianSeconds / want.medianSeconds
                #expect(ratio <= Tolerance.medianFactor && ratio >= 1 / Tolerance.medianFactor, "\(id) \(what) median \(got.medianSeconds) vs \(want.medianSeconds)")
                #expect(abs(got.spread - want.spread) <= Tolerance.spread, "\(id) \(what) spread \(got.spread) vs \(want.spread)")
            }
        }
        let missed = report.measures.filter { !$0.fits }.map(\.key)
        #expect(missed.isEmpty, "measures the model misses: \(missed)")
        // The written file is one the loader takes, with the fitted numbers in it.
        let folder = try TemporaryFolder.make()
        defer { TemporaryFolder.remove(folder) }
        let path = try TemporaryFolder.write(PersonaFile.yaml(report.fitted, header: ["test"]), to: "fitted.yml", in: folder)
        let (reloaded, diagnostics) = PersonaLoader.load(path: path)
        #expect(diagnostics.all.isEmpty, "\(diagnostics.all.map(\.description))")
        #expect(reloaded.map { abs($0.personas[0].share - report.fitted.personas[0].share) < 0.001 } == true)
    }

    @Test("a held-out period from the same mixture falls within the dry-run's intervals")
    func heldOutSameMixturePasses() async throws {
        let known = try CalibrationKit.population("known-personas.yml")
        let start = try CalibrationKit.population("start-personas.yml")
        let (rows, outcomes) = try CalibrationKit.history(known, leads: 4_000, seed: 5)
        let events = CalibrationKit.events(rows)
        let report = try Calibration.fit(events: events, outcomes: outcomes, start: start, until: CalibrationKit.cutoff)
        let check = try await HoldoutCheck.run(
            events: events, after: CalibrationKit.cutoff, days: 30, population: report.fitted, setup: try setup(report.fitted))
        #expect(check.leads > 1_000)
        #expect(check.passes, "\(check.figures.filter { !$0.within })")
    }

    @Test("a held-out period from a different mixture is flagged")
    func heldOutDifferentMixtureIsFlagged() async throws {
        let known = try CalibrationKit.population("known-personas.yml")
        let start = try CalibrationKit.population("start-personas.yml")
        // After the cut-off, twice as many evaluators and half as many dormant leads.
        var changed = known.personas
        changed[0].share = 0.35
        changed[1].share = 0.45
        changed[2].share = 0.20
        let other = try #require(Population(personas: changed, timeZones: known.timeZones))
        let before = try CalibrationKit.history(known, leads: 4_000, seed: 5)
        let after = try CalibrationKit.history(other, leads: 4_000, seed: 6)
        let events = CalibrationKit.events(before.rows).filter { $0.at < CalibrationKit.cutoff }
            + CalibrationKit.events(after.rows, leadPrefix: "B").filter { $0.at >= CalibrationKit.cutoff }
        let report = try Calibration.fit(events: events, outcomes: [], start: start, until: CalibrationKit.cutoff)
        let check = try await HoldoutCheck.run(
            events: events, after: CalibrationKit.cutoff, days: 30, population: report.fitted, setup: try setup(report.fitted))
        #expect(!check.passes)
        #expect(check.figures.first { $0.key == "handed_off" }?.within == false)
    }

    func setup(_ population: Population) throws -> SimulationSetup {
        SimulationSetup(
            definitions: try SimTestKit.shippedDefinitions(), sequence: "post-webinar", population: population, prospects: 1,
            days: 30, seed: 3, start: CalibrationKit.cutoff)
    }

    @Test("EM never lowers the log-likelihood, from any start on any history")
    func logLikelihoodNeverDecreases() async {
        await propertyCheck(count: 25, input: Gen.int(in: 0...1_000_000)) { seed in
            var random = ProspectRandom(seed: UInt64(seed), index: 99)
            let leads = Self.randomHistory(&random)
            let categories = PersonaRates.Categories(clicks: ["pricing", "blog"], pages: ["pricing"])
            let start = (0..<(2 + Int(random.uniform() * 3))).map { _ in
                var rates = PersonaRates(
                    Persona(id: "p", share: 0.5, open: random.uniform(), click: random.uniform(), reply: random.uniform() * 0.2,
                            unsubscribe: random.uniform() * 0.1, fatigue: 0.7 + 0.3 * random.uniform()),
                    categories: categories)
                rates.openLogMedian = 6 + 6 * random.uniform()
                return rates
            }
            let result = MixtureFit.fit(leads, start: start, categories: categories, maxIterations: 60, tolerance: 0)
            for (earlier, later) in zip(result.logLikelihoods, result.logLikelihoods.dropFirst()) {
                #expect(later >= earlier - 1e-9 * abs(earlier), "log-likelihood fell from \(earlier) to \(later)")
            }
        }
    }

    /// A few hundred leads of two made-up kinds, one to eight emails each, from `random`.
    static func randomHistory(_ random: inout ProspectRandom) -> [LeadEvidence] {
        var events: [RecordedEvent] = []
        let start = utc(2026, 3, 2)
        for lead in 0..<300 {
            let keen = random.uniform() < 0.3
            let sends = 1 + Int(random.uniform() * 8)
            for email in 0..<sends {
                let sent = start.addingTimeInterval(Double(email) * 86_400 * 2)
                events.append(RecordedEvent(lead: "\(lead)", at: sent, kind: .sent, step: "s\(email)"))
                if email == 0, random.uniform() < 0.05 {
                    events.append(RecordedEvent(lead: "\(lead)", at: sent.addingTimeInterval(30), kind: .bounce, step: "s0"))
                    break
                }
                guard random.uniform() < (keen ? 0.6 : 0.2) else { continue }
                let opened = sent.addingTimeInterval(60 + random.uniform() * 50_000)
                events.append(RecordedEvent(lead: "\(lead)", at: opened, kind: .open, step: "s\(email)"))
                if random.uniform() < (keen ? 0.4 : 0.1) {
                    events.append(RecordedEvent(
                        lead: "\(lead)", at: opened.addingTimeInterval(120), kind: .click, step: "s\(email)",
                        category: random.uniform() < 0.5 ? "pricing" : "blog"))
                }
            }
            if keen, random.uniform() < 0.5 {
                events.append(RecordedEvent(lead: "\(lead)", at: start.addingTimeInterval(3 * 86_400), kind: .visit, category: "pricing"))
            }
        }
        return Array(LeadEvidence.build(events).values).sorted { $0.firstSend < $1.firstSend }
    }
}
