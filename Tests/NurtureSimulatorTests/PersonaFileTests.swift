import Foundation
import NurtureCore
import NurtureDefinitions
import NurturePersonas
import NurtureTestSupport
import Testing

/// Persona files: the shipped example loads cleanly, and every mistake is reported at its exact
/// `path:line:col` with a message that says what to fix, by the loader and by `nurture simulate`.
@Suite("Persona files")
struct PersonaFileTests {
    // MARK: The shipped example

    @Test("examples/personas/b2b-saas.yml loads with no diagnostics")
    func shippedExampleLoads() throws {
        let (population, diagnostics) = PersonaLoader.load(path: SimTestKit.personasPath)
        #expect(diagnostics.all.isEmpty, "\(diagnostics.sorted.map(\.description))")
        let loaded = try #require(population)
        #expect(loaded.version == 1)
        #expect(loaded.personas.map(\.id) == [
            "active-evaluator", "researcher", "passive-subscriber", "wrong-fit", "privacy-proxy", "dead-address",
        ])
        #expect(abs(loaded.personas.map(\.share).reduce(0, +) - 1) < 1e-9)
        #expect(loaded.timeZones.values.count == 7)
        for persona in loaded.personas {
            for p in [persona.open, persona.click, persona.reply, persona.unsubscribe, persona.bounce,
                      persona.machineOpen, persona.fatigue] {
                #expect((0...1).contains(p), "\(persona.id)")
            }
        }
        let evaluator = loaded.personas[0]
        #expect(evaluator.highIntent)
        #expect(evaluator.openDelay == LogNormalDelay(median: .hours(2), spread: 1.2))
        #expect(evaluator.clickDelay == LogNormalDelay(median: .minutes(2), spread: 0.8))
        #expect(evaluator.visitsPerDay == 0.2)
        #expect(evaluator.attributes.map(\.name).sorted() == ["company_size", "country", "industry", "title"])
        #expect(loaded.personas.filter(\.highIntent).map(\.id) == ["active-evaluator"])
        // A persona without delays gets the documented defaults.
        let dead = loaded.personas[5]
        #expect(dead.openDelay == LogNormalDelay(median: .hours(4), spread: 1))
        #expect(dead.clickDelay == LogNormalDelay(median: .minutes(2), spread: 0.5))
    }

    // MARK: Broken files

    /// A small valid file; each case below breaks one thing in it. Line numbers matter.
    static let valid = """
        version: 1
        time_zones:
          America/New_York: 0.6
          Europe/London: 0.4
        personas:
          - id: keen
            share: 0.4
            open: 0.5
            click: 0.3
            reply: 0.02
            unsubscribe: 0.01
            open_delay: {median: 2h, spread: 1.0}
            clicks: {pricing: 0.5, blog: 0.5}
          - id: cold
            share: 0.6
            open: 0.2
            click: 0.1
            reply: 0.0
            unsubscribe: 0.02

        """

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var replace: String
        var with: String
        /// Every error expected, as `line:col: error: message` after the path.
        var errors: [String]

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "probability above 1", replace: "open: 0.5", with: "open: 1.2",
             errors: ["8:11: error: open is a probability and must be between 0 and 1, found 1.2"]),
        Case(name: "negative probability", replace: "reply: 0.0\n", with: "reply: -0.1\n",
             errors: ["18:12: error: reply is a probability and must be between 0 and 1, found -0.1"]),
        Case(name: "probability that is not a number", replace: "click: 0.1", with: "click: often",
             errors: ["17:12: error: expected click as a number, found 'often'"]),
        Case(name: "persona shares not adding up to 1", replace: "share: 0.6", with: "share: 0.5",
             errors: ["6:3: error: persona shares add up to 0.900, not 1"]),
        Case(name: "misspelt key", replace: "    open: 0.2", with: "    opne: 0.2",
             errors: ["14:5: error: a persona is missing 'open'",
                      "16:5: error: unknown key 'opne' in a persona; did you mean 'open'?"]),
        Case(name: "unknown time zone", replace: "Europe/London", with: "Europe/Lundon",
             errors: ["4:3: error: unknown time zone 'Europe/Lundon'; use an IANA name such as America/New_York or Europe/Berlin"]),
        Case(name: "unknown time zone in a persona", replace: "    unsubscribe: 0.02\n",
             with: "    unsubscribe: 0.02\n    time_zones: {Mars/Olympus_Mons: 1}\n",
             errors: ["20:18: error: unknown time zone 'Mars/Olympus_Mons'; use an IANA name such as America/New_York or Europe/Berlin"]),
        Case(name: "time-zone shares not adding up to 1", replace: "America/New_York: 0.6", with: "America/New_York: 0.5",
             errors: ["3:3: error: the shares in time_zones add up to 0.900, not 1"]),
        Case(name: "click mix not adding up to 1", replace: "blog: 0.5}", with: "blog: 0.3}",
             errors: ["13:13: error: the shares in clicks add up to 0.800, not 1"]),
        Case(name: "negative spread", replace: "spread: 1.0", with: "spread: -0.5",
             errors: ["12:38: error: spread is the standard deviation of the log of the delay; use 0 to 5, found -0.5"]),
        Case(name: "median without a unit", replace: "median: 2h", with: "median: 2",
             errors: ["12:26: error: '2' is not a duration (add a unit: '2d' or '2h'); write it like 30m, 4h, 3d, 2w or 1d12h"]),
        Case(name: "duplicate persona id", replace: "id: cold", with: "id: keen",
             errors: ["14:5: error: duplicate persona id 'keen'"]),
        Case(name: "no personas", replace: String(valid[valid.range(of: "  - id: keen")!.lowerBound...]), with: "  []\n",
             errors: ["6:3: error: personas lists no persona; give at least one"]),
        Case(name: "missing version", replace: "version: 1\n", with: "",
             errors: ["1:1: error: personas.yml is missing 'version'"]),
        Case(name: "tab indentation", replace: "    click: 0.1", with: "\t  click: 0.1",
             errors: ["17:1: error: tab character in indentation; YAML indents with spaces only"]),
        Case(name: "empty file", replace: valid, with: "",
             errors: ["1:1: error: the file is empty"]),
        Case(name: "only a comment", replace: valid, with: "# personas to come\n",
             errors: ["1:1: error: the file is empty"]),
    ]

    @Test("each mistake is reported at its exact position, and nothing else", arguments: cases)
    func brokenFile(_ broken: Case) throws {
        #expect(Self.valid.contains(broken.replace), "the case no longer applies to the valid file")
        let folder = try TemporaryFolder.make("nurture-personas")
        defer { TemporaryFolder.remove(folder) }
        let path = try TemporaryFolder.write(Self.valid.replacingOccurrences(of: broken.replace, with: broken.with),
                                             to: "personas.yml", in: folder)
        let (population, diagnostics) = PersonaLoader.load(path: path)
        #expect(population == nil)
        #expect(diagnostics.hasErrors)
        #expect(diagnostics.sorted.map(\.description) == broken.errors.map { "\(path):\($0)" })
    }

    @Test("the valid file itself loads cleanly")
    func validFileLoads() throws {
        let folder = try TemporaryFolder.make("nurture-personas")
        defer { TemporaryFolder.remove(folder) }
        let path = try TemporaryFolder.write(Self.valid, to: "personas.yml", in: folder)
        let (population, diagnostics) = PersonaLoader.load(path: path)
        #expect(diagnostics.all.isEmpty, "\(diagnostics.sorted.map(\.description))")
        let loaded = try #require(population)
        #expect(loaded.personas.map(\.id) == ["keen", "cold"])
        #expect(loaded.personas[0].clickCategories?.values.sorted() == ["blog", "pricing"])
        #expect(loaded.personas[1].fatigue == 1 && loaded.personas[1].bounce == 0)
    }

    @Test("a missing file is reported")
    func missingFile() {
        let (population, diagnostics) = PersonaLoader.load(path: "/nonexistent/personas.yml")
        #expect(population == nil)
        #expect(diagnostics.sorted.map(\.description) == ["/nonexistent/personas.yml:1:1: error: no such file"])
    }

    // MARK: Through the command line

    @Test("nurture simulate --personas BAD exits non-zero with the diagnostic on stderr",
          arguments: cases)
    func cliReportsBrokenPersonas(_ broken: Case) throws {
        let folder = try TemporaryFolder.make("nurture-personas")
        defer { TemporaryFolder.remove(folder) }
        let path = try TemporaryFolder.write(Self.valid.replacingOccurrences(of: broken.replace, with: broken.with),
                                             to: "personas.yml", in: folder)
        let run = try NurtureCLI.run(["simulate", "post-webinar", "--personas", path, "--prospects", "10"])
        #expect(!run.crashed)
        #expect(run.status != 0)
        for error in broken.errors {
            #expect(run.stderrLines.contains("\(path):\(error)"), "stderr was: \(run.stderr)")
        }
        #expect(run.stdoutData.isEmpty, "no report on a broken persona file")
    }

    @Test("nurture simulate --personas with a missing file fails cleanly")
    func cliMissingPersonas() throws {
        let run = try NurtureCLI.run(["simulate", "post-webinar", "--personas", "/nonexistent/personas.yml",
                                      "--prospects", "10"])
        #expect(!run.crashed)
        #expect(run.status != 0)
        #expect(run.stderr.contains("personas"), "stderr was: \(run.stderr)")
        #expect(run.stdoutData.isEmpty)
    }
}
