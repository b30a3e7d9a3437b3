import Foundation
import NurtureCore
import NurtureDefinitions
import NurturePersonas
@testable import NurtureSimulator
import NurtureTestSupport
import PropertyBased
import Testing

@Suite("Rep fit")
struct RepFitTests {
    /// Monday to Friday, 09:00 to 17:00 UTC.
    static let office = SendWindow(days: [.monday, .tuesday, .wednesday, .thursday, .friday], opens: 9 * 3600, closes: 17 * 3600, timeZone: .gmt)
    /// A Monday.
    static let monday = utc(2026, 3, 2)

    static func outcome(
        _ answer: RecordedOutcome.Answer, grade: String = "A", at: Date = monday, answeredAfter hours: Double? = 2,
        touchedAfter touch: Double? = nil, reason: String? = nil
    ) -> RecordedOutcome {
        let answered = answer == .accepted || answer == .rejected ? hours.map { at.addingTimeInterval($0 * 3600) } : nil
        return RecordedOutcome(
            lead: "L", handedOffAt: at, score: 85, grade: grade, answer: answer, reason: reason, answeredAt: answered,
            touchedAt: answer == .accepted ? touch.flatMap { t in answered.map { $0.addingTimeInterval(t * 3600) } } : nil)
    }

    @Test("elapsed business time skips nights and weekends, and counts across a clock change")
    func businessTime() {
        let friday = utc(2026, 3, 6, 16)
        #expect(Self.office.windowSeconds(from: friday, to: utc(2026, 3, 9, 10), leadZone: nil) == 2 * 3600)
        #expect(Self.office.windowSeconds(from: utc(2026, 3, 7, 10), to: utc(2026, 3, 8, 20), leadZone: nil) == 0)
        #expect(Self.office.windowSeconds(from: utc(2026, 3, 9, 10), to: friday, leadZone: nil) == 0)
        // New York's business hours across the change to summer time (8 March 2026).
        let newYork = SendWindow(days: Self.office.days, opens: 9 * 3600, closes: 17 * 3600, timeZone: TimeZone(identifier: "America/New_York")!)
        #expect(newYork.windowSeconds(from: utc(2026, 3, 6, 21), to: utc(2026, 3, 9, 14), leadZone: nil) == 2 * 3600)
    }

    @Test("elapsed business time undoes added business time, from any instant, in a zone with clock changes")
    func businessTimeInverse() async {
        let newYork = SendWindow(days: Self.office.days, opens: 9 * 3600, closes: 17 * 3600, timeZone: TimeZone(identifier: "America/New_York")!)
        await propertyCheck(count: 500, input: Gen.int(in: 0...1_000_000)) { seed in
            var random = ProspectRandom(seed: UInt64(seed), index: 3)
            let start = utc(2026, 1, 1).addingTimeInterval(random.uniform() * 365 * 86_400)
            let seconds = Int(random.uniform() * 200 * 3600)
            let end = newYork.adding(windowSeconds: seconds, to: start, leadZone: nil)
            #expect(newYork.windowSeconds(from: start, to: end, leadZone: nil) == Double(seconds), "\(start) + \(seconds) s = \(end)")
        }
    }

    @Test("acceptance among answered by grade, expired and open left out; a grade with too few answers takes the default")
    func acceptanceByGrade() {
        let outcomes = Array(repeating: Self.outcome(.accepted), count: 18) + Array(repeating: Self.outcome(.rejected, reason: "not-ready"), count: 2)
            + Array(repeating: Self.outcome(.expired), count: 7) + [Self.outcome(.open)]
            + Array(repeating: Self.outcome(.rejected, grade: "B", reason: "bad-fit"), count: 5)
        let fit = RepFit(outcomes, businessHours: Self.office)
        #expect(fit.handOffs == 33 && fit.expired == 7 && fit.open == 1)
        #expect(fit.byGrade.map(\.grade) == ["A"])
        #expect(fit.byGrade[0].rate == 0.9)
        #expect(fit.byGrade[0].interval.contains(0.9) && fit.byGrade[0].interval.lowerBound > 0.6)
        #expect(fit.pooled?.accepted == 18 && fit.pooled?.answered == 25)
        #expect(fit.leftOut.contains { $0.hasPrefix("acceptance of grade B: 5 answered") })
        // Seven rejections give a reason: fewer than the minimum, so no shares.
        #expect(fit.reasons.isEmpty)
        #expect(fit.leftOut.contains { $0.hasPrefix("rejection reasons: 7 rejections") })
        #expect(fit.timeToFirstTouch == nil)
        let yaml = fit.yamlLines
        #expect(yaml.contains("    A: 0.9") && yaml.contains("    default: 0.72"))
        #expect(!yaml.contains { $0.contains("B:") || $0.contains("rejection_reasons") || $0.contains("time_to_first_touch") })
    }

    @Test("the section is written in the agreed shape, durations as the persona file writes them")
    func sectionShape() throws {
        var outcomes: [RecordedOutcome] = []
        // Answers after 2 and 6 business hours (on the same day), touches 30 minutes after an acceptance.
        for index in 0..<20 {
            let at = Self.monday.addingTimeInterval(9 * 3600 + Double(index % 5) * 86_400)
            if index < 15 {
                outcomes.append(Self.outcome(.accepted, at: at, answeredAfter: index.isMultiple(of: 2) ? 2 : 6, touchedAfter: 0.5))
            } else {
                outcomes.append(Self.outcome(.rejected, at: at, answeredAfter: index.isMultiple(of: 2) ? 2 : 6, reason: index < 19 ? "not-ready" : "yes"))
            }
        }
        outcomes += Array(repeating: Self.outcome(.rejected, at: Self.monday.addingTimeInterval(9 * 3600), answeredAfter: 4, reason: "no-budget"), count: 5)
        let fit = RepFit(outcomes, businessHours: Self.office)
        let answer = try #require(fit.timeToAnswer)
        #expect(answer.count == 25)
        #expect(fit.yamlLines == [
            "reps:",
            "  acceptance:",
            "    A: 0.6",
            "    default: 0.6",
            "  time_to_answer: {median: \(RepFit.hoursText(answer.medianHours)), spread: \(PersonaFile.number(answer.spread))}",
            "  time_to_first_touch: {median: 30m, spread: 0.0}",
            "  rejection_reasons: {no-budget: 0.5, not-ready: 0.4, \"yes\": 0.1}",
        ])
        #expect(RepFit.hoursText(2.5) == "2h30m" && RepFit.hoursText(30) == "30h" && RepFit.hoursText(0.0001) == "1m")
        #expect(TimeSpan(parsing: RepFit.hoursText(answer.medianHours)) != nil)
    }

    @Test("too few outcomes leave the whole section out")
    func tooFew() {
        let fit = RepFit((0..<5).map { _ in Self.outcome(.accepted, touchedAfter: 1) }, businessHours: Self.office)
        #expect(fit.isEmpty)
        #expect(fit.yamlLines.isEmpty)
        #expect(fit.leftOut.count == 5)
        let population = Population(personas: [Persona(id: "p", share: 1, open: 0.3, click: 0.1, reply: 0.01, unsubscribe: 0.01, fatigue: 0.9)],
                                    timeZones: Mix([("UTC", 1)])!)!
        #expect(!PersonaFile.yaml(population, header: [], reps: fit).contains("reps:"))
    }

    @Test("draws from a known log-normal in business hours: the median's interval holds the true median about 95% of the time")
    func medianIntervalCovers() {
        let truth = LogNormalDelay(median: .hours(3), spread: 1)
        var covered = 0, spreadCovered = 0
        let trials = 300
        for trial in 0..<trials {
            var random = ProspectRandom(seed: 77, index: UInt64(trial))
            let outcomes = (0..<60).map { index -> RecordedOutcome in
                // Hand-offs at any hour of the week; the answer comes after the drawn business time.
                let at = Self.monday.addingTimeInterval(Double(index) * 7_919 + random.uniform() * 3600)
                let seconds = truth.seconds(z: random.normal())
                let answered = Self.office.adding(windowSeconds: max(60, Int(seconds.rounded())), to: at, leadZone: nil)
                return RecordedOutcome(lead: "L\(index)", handedOffAt: at, score: 80, grade: "A", answer: .accepted, answeredAt: answered)
            }
            guard let fit = RepFit(outcomes, businessHours: Self.office).timeToAnswer else { continue }
            if fit.medianInterval.contains(3) { covered += 1 }
            if fit.spreadInterval.contains(1) { spreadCovered += 1 }
        }
        let share = Double(covered) / Double(trials), spreadShare = Double(spreadCovered) / Double(trials)
        #expect(share >= 0.90 && share <= 0.99, "median covered in \(covered) of \(trials)")
        #expect(spreadShare >= 0.88 && spreadShare <= 0.99, "spread covered in \(spreadCovered) of \(trials)")
    }

    @Test("for any outcomes: rates inside their Wilson intervals, reason shares adding up to 1, times positive, quantile intervals around the record")
    func invariants() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...1_000_000)) { seed in
            var random = ProspectRandom(seed: UInt64(seed), index: 5)
            let outcomes = (0..<(Int(random.uniform() * 200))).map { index -> RecordedOutcome in
                let at = Self.monday.addingTimeInterval(random.uniform() * 30 * 86_400)
                let answer = RecordedOutcome.Answer.allCases[Int(random.uniform() * 4)]
                let answered = at.addingTimeInterval(random.uniform() * 5 * 86_400)
                return RecordedOutcome(
                    lead: "L\(index)", handedOffAt: at, score: 80, grade: ["A", "B", "C"][Int(random.uniform() * 3)], answer: answer,
                    reason: answer == .rejected && random.chance(0.8) ? ["not-ready", "bad-fit", "no-budget"][Int(random.uniform() * 3)] : nil,
                    answeredAt: answer == .accepted || answer == .rejected ? answered : nil,
                    touchedAt: answer == .accepted && random.chance(0.7) ? answered.addingTimeInterval(random.uniform() * 86_400) : nil)
            }
            let fit = RepFit(outcomes, businessHours: Self.office)
            for cell in fit.byGrade + (fit.pooled.map { [$0] } ?? []) {
                #expect(cell.answered >= RepFit.minimumAnswered && cell.interval.contains(cell.rate))
            }
            if !fit.reasons.isEmpty { #expect(abs(fit.reasons.reduce(0) { $0 + $1.share } - 1) < 1e-9) }
            for duration in [fit.timeToAnswer, fit.timeToFirstTouch].compactMap({ $0 }) {
                #expect(duration.medianHours >= RepFit.shortestHours && duration.spread >= 0)
                #expect(duration.medianInterval.contains(duration.medianHours))
                for quantile in duration.quantiles { #expect(quantile.interval.contains(quantile.recorded)) }
            }
            #expect(fit.isEmpty == fit.yamlLines.isEmpty)
        }
    }

    /// What "recovered" means for the reps of a history of 10,000 leads (about 1,500 hand-offs, all
    /// grade A on the example's sequence): the tolerances docs/calibration.md states.
    struct Tolerance {
        static let acceptance = 0.04
        static let medianFactor = 1.15
        static let spread = 0.1
        static let reasonShare = 0.1
    }

    @Test("calibration recovers the known rep model of a synthetic history, every parameter within its tolerance")
    func recoversKnownReps() throws {
        let known = try CalibrationKit.population("known-personas.yml")
        let start = try CalibrationKit.population("start-personas.yml")
        let definitions = try SimTestKit.shippedDefinitions()
        let (rows, outcomes) = try CalibrationKit.history(known, leads: 10_000, seed: 11)
        let report = try Calibration.fit(
            events: CalibrationKit.events(rows), outcomes: outcomes, start: start, businessHours: definitions.lifecycle.businessHours)
        let reps = try #require(report.reps)
        let model = HistoryGenerator.Reps()
        #expect(reps.handOffs > 1_000)
        // The generated rep's chance depends on the score too: the truth for a grade is its mean
        // over the grade's answered hand-offs.
        for cell in reps.byGrade {
            let answered = outcomes.filter { $0.grade == cell.grade && ($0.answer == .accepted || $0.answer == .rejected) }
            let truth = answered.reduce(0) { $0 + model.acceptance(grade: $1.grade, score: $1.score) } / Double(answered.count)
            #expect(abs(cell.rate - truth) <= Tolerance.acceptance, "grade \(cell.grade!) \(cell.rate) vs \(truth)")
            #expect(cell.interval.contains(truth), "grade \(cell.grade!) \(cell.interval) vs \(truth)")
        }
        #expect(!reps.byGrade.isEmpty)
        for (what, fitted, truth) in [("time to answer", reps.timeToAnswer, model.timeToAnswer), ("time to first touch", reps.timeToFirstTouch, model.timeToFirstTouch)] {
            let fitted = try #require(fitted, "\(what)")
            let ratio = fitted.medianHours * 3600 / truth.medianSeconds
            #expect(ratio <= Tolerance.medianFactor && ratio >= 1 / Tolerance.medianFactor, "\(what) median \(fitted.medianHours)h")
            #expect(abs(fitted.spread - truth.spread) <= Tolerance.spread, "\(what) spread \(fitted.spread) vs \(truth.spread)")
            #expect(fitted.quantiles.allSatisfy { $0.fits }, "\(what) \(fitted.quantiles)")
        }
        for (reason, share) in zip(model.reasons.values, model.reasons.shares) {
            let fitted = reps.reasons.first { $0.reason == reason }?.share ?? 0
            #expect(abs(fitted - share) <= Tolerance.reasonShare, "\(reason) \(fitted) vs \(share)")
        }
    }

    @Test("calibrate writes the reps: section into the persona file, and reports it in text and JSON")
    func commandWritesSection() throws {
        let folder = try TemporaryFolder.make()
        defer { TemporaryFolder.remove(folder) }
        let output = folder.appendingPathComponent("fitted.yml").path
        let arguments = [
            "calibrate", "--events", "examples/calibration/history-events.csv", "--outcomes", "examples/calibration/history-outcomes.csv",
            "--personas", "examples/calibration/start-personas.yml",
        ]
        let run = try NurtureCLI.run(arguments + ["--output", output])
        #expect(run.status == 0, "\(run.stderr)")
        let written = try String(contentsOfFile: output, encoding: .utf8)
        let start = try #require(written.range(of: "\nreps:\n"))
        let lines = written[start.upperBound...].split(separator: "\n").map(String.init)
        #expect(written.hasSuffix("\n"))
        try #require(lines.count == 6, "\(lines)")
        #expect(lines[0] == "  acceptance:")
        #expect(lines[1].hasPrefix("    A: 0.") && lines[2].hasPrefix("    default: 0."))
        #expect(lines[3].hasPrefix("  time_to_answer: {median: ") && lines[3].hasSuffix("}"))
        #expect(lines[4].hasPrefix("  time_to_first_touch: {median: "))
        #expect(lines[5].hasPrefix("  rejection_reasons: {not-ready: "))
        #expect(run.stdout.contains("Rep behaviour (the reps: section;"))
        #expect(run.stdout.contains("time to answer (business hours,"))

        let json = try NurtureCLI.run(arguments + ["--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let report = try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any]
        let reps = try #require(report?["reps"] as? [String: Any])
        let answer = try #require(reps["time_to_answer"] as? [String: Any])
        let median = try #require(answer["median_hours"] as? Double)
        #expect(median > 1.5 && median < 5)
        #expect((reps["acceptance"] as? [String: Any])?["A"] != nil)
    }

    @Test("outcome rows with times out of order, or a touch or answer their outcome cannot have, are reported at file:line:column")
    func timesOutOfOrder() throws {
        let folder = try TemporaryFolder.make()
        defer { TemporaryFolder.remove(folder) }
        let path = try TemporaryFolder.write("""
            lead,handed_off_at,score,grade,outcome,reason,answered_at,touched_at
            L-1,2026-03-02T10:00:00Z,85,A,accepted,,2026-03-02T12:00:00Z,2026-03-03T10:00:00Z
            L-2,2026-03-02T10:00:00Z,85,A,accepted,,2026-03-02T09:00:00Z,
            L-3,2026-03-02T10:00:00Z,85,A,accepted,,2026-03-02T12:00:00Z,2026-03-02T11:00:00Z
            L-4,2026-03-02T10:00:00Z,85,A,rejected,not-ready,2026-03-02T12:00:00Z,2026-03-02T13:00:00Z
            L-5,2026-03-02T10:00:00Z,85,A,expired,,2026-03-02T12:00:00Z,
            """, to: "outcomes.csv", in: folder)
        let (rows, diagnostics) = OutcomeLog.load(path: path)
        #expect(rows.map(\.lead) == ["L-1"])
        let messages = diagnostics.sorted.map(\.description)
        #expect(messages.count == 4, "\(messages)")
        #expect(messages.contains("\(path):3:41: error: answered_at: 2026-03-02T09:00:00Z is before handed_off_at 2026-03-02T10:00:00Z; row skipped"))
        #expect(messages.contains("\(path):4:62: error: touched_at: 2026-03-02T11:00:00Z is before answered_at 2026-03-02T12:00:00Z; row skipped"))
        #expect(messages.contains { $0.hasPrefix("\(path):5:71: error: touched_at: only an accepted hand-off has a first touch") })
        #expect(messages.contains { $0.hasPrefix("\(path):6:40: error: answered_at: an expired hand-off has no answer") })
    }
}
