import Foundation
import NurtureCore
import NurtureDefinitions
import NurturePersonas
import NurtureTestSupport
import Testing

/// The `reps:` section of a persona file: the shipped example loads it, and every mistake in it is
/// reported at its exact `path:line:col`.
@Suite("Rep behaviour in persona files")
struct RepBehaviourFileTests {
    static let valid = """
        version: 1
        time_zones: {UTC: 1}
        personas:
          - {id: only, share: 1, open: 0.5, click: 0.3, reply: 0.02, unsubscribe: 0.01}
        reps:
          acceptance:
            A: 0.95
            B: 0.85
            default: 0.70
          time_to_answer: {median: 3h, spread: 1.0}
          time_to_first_touch: {median: 5h, spread: 0.9}
          rejection_reasons: {not-ready: 0.5, bad-fit: 0.3, no-budget: 0.2}

        """

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var replace: String
        var with: String
        var errors: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "acceptance above 1", replace: "B: 0.85", with: "B: 1.5",
             errors: ["8:8: error: the acceptance of grade B is a probability and must be between 0 and 1, found 1.5"]),
        Case(name: "acceptance not a number", replace: "A: 0.95", with: "A: often",
             errors: ["7:8: error: expected an acceptance probability as a number, found 'often'"]),
        Case(name: "acceptance not a mapping", replace: "  acceptance:\n    A: 0.95\n    B: 0.85\n    default: 0.70\n",
             with: "  acceptance: 0.9\n",
             errors: ["6:15: error: expected acceptance as a mapping of fit grade to probability, e.g. {A: 0.95, B: 0.85, default: 0.7}"]),
        Case(name: "a reason that is not a word", replace: "no-budget: 0.2", with: "no budget!: 0.2",
             errors: ["12:53: error: 'no budget!' is not a rejection reason; reasons are words such as not-ready or bad-fit"]),
        Case(name: "a reason written as an action", replace: "no-budget: 0.2", with: "reject(x): 0.2",
             errors: ["12:53: error: 'reject(x)' is not a rejection reason; reasons are words such as not-ready or bad-fit"]),
        Case(name: "a zero share", replace: "bad-fit: 0.3", with: "bad-fit: 0",
             errors: ["12:48: error: the share of rejection reason bad-fit must be above 0 and at most 1, found 0"]),
        Case(name: "spread out of bounds", replace: "spread: 0.9", with: "spread: 9",
             errors: ["11:45: error: spread is the standard deviation of the log of the delay; use 0 to 5, found 9"]),
        Case(name: "median past the limit", replace: "median: 3h", with: "median: 30w",
             errors: ["10:19: error: the median of time_to_answer counts business hours and must be at most 500h, found 5040h"]),
        Case(name: "median without a unit", replace: "median: 5h", with: "median: 5",
             errors: ["11:33: error: '5' is not a duration (add a unit: '5d' or '5h'); write it like 30m, 4h, 3d, 2w or 1d12h"]),
        Case(name: "a missing section", replace: "  time_to_first_touch: {median: 5h, spread: 0.9}\n", with: "",
             errors: ["6:3: error: reps is missing 'time_to_first_touch'"]),
        Case(name: "a misspelt key", replace: "time_to_answer:", with: "time_to_anwser:",
             errors: ["6:3: error: reps is missing 'time_to_answer'",
                      "10:3: error: unknown key 'time_to_anwser' in reps; did you mean 'time_to_answer'?"]),
    ]

    static func load(_ text: String) throws -> (path: String, population: Population?, diagnostics: Diagnostics, folder: URL) {
        let folder = try TemporaryFolder.make("nurture-reps")
        let path = try TemporaryFolder.write(text, to: "personas.yml", in: folder)
        let (population, diagnostics) = PersonaLoader.load(path: path)
        return (path, population, diagnostics, folder)
    }

    @Test("each mistake in reps: is reported at its exact position, and nothing else", arguments: cases)
    func brokenSection(_ broken: Case) throws {
        #expect(Self.valid.contains(broken.replace), "the case no longer applies to the valid file")
        let loaded = try Self.load(Self.valid.replacingOccurrences(of: broken.replace, with: broken.with))
        defer { TemporaryFolder.remove(loaded.folder) }
        #expect(loaded.population == nil)
        #expect(loaded.diagnostics.sorted.map(\.description) == broken.errors.map { "\(loaded.path):\($0)" })
    }

    @Test("the valid section loads as written, with the default and normalised reason shares")
    func validSection() throws {
        let loaded = try Self.load(Self.valid)
        defer { TemporaryFolder.remove(loaded.folder) }
        #expect(loaded.diagnostics.all.isEmpty, "\(loaded.diagnostics.sorted.map(\.description))")
        let reps = try #require(loaded.population?.reps)
        #expect(reps.acceptance == ["A": 0.95, "B": 0.85])
        #expect(reps.defaultAcceptance == 0.70)
        #expect(reps.acceptance(grade: "A") == 0.95 && reps.acceptance(grade: "D") == 0.70)
        #expect(reps.timeToAnswer == LogNormalDelay(median: .hours(3), spread: 1.0))
        #expect(reps.timeToFirstTouch == LogNormalDelay(median: .hours(5), spread: 0.9))
        #expect(reps.rejectionReasons.values == ["not-ready", "bad-fit", "no-budget"])
        #expect(zip(reps.rejectionReasons.shares, [0.5, 0.3, 0.2]).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test("without a reps: section there is no rep behaviour; the shipped example has one")
    func optionalSection() throws {
        let loaded = try Self.load(String(Self.valid[..<Self.valid.range(of: "reps:")!.lowerBound]))
        defer { TemporaryFolder.remove(loaded.folder) }
        #expect(loaded.diagnostics.all.isEmpty)
        #expect(loaded.population != nil && loaded.population?.reps == nil)
        let shipped = try #require(try SimTestKit.shippedPopulation().reps)
        #expect(shipped.rejectionReasons.values == ["not-ready", "bad-fit"])
    }

    @Test("nurture simulate reports a broken reps: section on stderr and writes no report")
    func cliReportsBrokenSection() throws {
        let broken = Self.cases[0]
        let loaded = try Self.load(Self.valid.replacingOccurrences(of: broken.replace, with: broken.with))
        defer { TemporaryFolder.remove(loaded.folder) }
        let run = try NurtureCLI.run(["simulate", "post-webinar", "--personas", loaded.path, "--prospects", "10"])
        #expect(!run.crashed && run.status != 0)
        #expect(run.stderrLines.contains("\(loaded.path):\(broken.errors[0])"), "stderr was: \(run.stderr)")
        #expect(run.stdoutData.isEmpty)
    }
}

extension RepBehaviourFileTests {
    @Test("nurture simulate with the shipped personas adds the SLA forecast to the text and JSON reports")
    func cliForecast() throws {
        let arguments = ["simulate", "post-webinar", "--personas", "examples/personas/b2b-saas.yml",
                         "--arrivals", "300/day", "--prospects", "3000", "--days", "30", "--seed", "4"]
        let text = try NurtureCLI.run(arguments)
        #expect(!text.crashed && text.status == 0, "stderr was: \(text.stderr)")
        #expect(text.stdout.contains("SLA forecast, from the reps: section of the persona file"))
        #expect(text.stdout.contains("against a goal of 171 (40 hand-offs a week)"), "\(text.stdout)")
        #expect(text.stdout.contains("answer the hand-off   mql     within 8 business hours     kept "))
        let json = try NurtureCLI.run(arguments + ["--format", "json"])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any]
        let forecast = try #require(object?["sla_forecast"] as? [String: Any])
        let reps = try #require(forecast["reps"] as? [String: Any])
        let count = { (key: String) in reps[key] as? Int ?? -1 }
        #expect(count("hand_offs") > 0)
        #expect(count("hand_offs") == count("accepted") + count("rejected") + count("expired") + count("open"))
        #expect(forecast["on_expiry"] as? String == "handed again to the default owner's queue")
    }
}
