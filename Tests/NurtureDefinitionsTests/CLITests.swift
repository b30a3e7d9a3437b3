import Foundation
import NurtureCore
import NurtureDefinitions
import NurtureTestSupport
import Testing

/// `nurture explain` and `nurture trace`, run as a marketer would, from the package root.
@Suite("Command line")
struct CLITests {
    static let traceArguments = [
        "trace", "post-webinar",
        "--lead", "examples/leads/priya-natarajan.yml",
        "--events", "examples/events/priya-webinar.csv",
        "--start", "2026-03-02T09:00:00-05:00",
    ]

    @Test("explain names every step and what a hand-off does")
    func explainText() throws {
        let run = try NurtureCLI.run(["explain", "post-webinar"])
        #expect(!run.crashed)
        #expect(run.status == 0, "stderr:\n\(run.stderr)")

        let definitions = try #require(DefinitionLoader.load(directory: PackageFolders.sequences.path).definitions)
        let sequence = try #require(definitions.sequences["post-webinar"])
        #expect(sequence.steps.count == 14)
        for step in sequence.steps {
            #expect(run.stdout.contains("\(step.id): "), "the explanation does not mention step \(step.id)")
        }
        // The hand-off threshold: who gets the lead, the stage it enters and the service level.
        #expect(run.stdout.contains("hand off to sales (Reached MQL during the webinar follow-up)"))
        #expect(run.stdout.contains(
            "the lead becomes Marketing qualified lead, and sales has 8 business hours to accept or reject every MQL"))
        #expect(run.stdout.contains("the sequence ends"))
    }

    @Test("explain draws the step graph as Mermaid and DOT", arguments: [("mermaid", "flowchart TD"), ("dot", "digraph")])
    func explainDiagram(format: String, opening: String) throws {
        let run = try NurtureCLI.run(["explain", "post-webinar", "--format", format])
        #expect(!run.crashed)
        #expect(run.status == 0, "stderr:\n\(run.stderr)")
        #expect(run.stdout.hasPrefix(opening), "\(format) output starts: \(run.stdout.prefix(60))")
        #expect(run.stdout.contains("roi-model"))
    }

    @Test("trace hands Priya off, and sends only inside the window on her own clock")
    func tracePriya() throws {
        let run = try NurtureCLI.run(Self.traceArguments)
        #expect(!run.crashed)
        #expect(run.status == 0, "stderr:\n\(run.stderr)")
        #expect(run.stdout.contains("HAND-OFF to Hannah Lindqvist"), "\(run.stdout)")

        // post-webinar sends Mon-Thu 09:00-16:00, on the lead's clock: Priya is in Asia/Kolkata.
        let lead = try #require(LeadFile.load(path: PackageFolders.root.appendingPathComponent("examples/leads/priya-natarajan.yml").path).lead)
        let zone = try #require(lead.timeZone)
        #expect(zone.identifier == "Asia/Kolkata")
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parser = DateFormatter()
        parser.locale = Locale(identifier: "en_US_POSIX")
        parser.timeZone = zone
        parser.dateFormat = "yyyy-MM-dd HH:mm"

        // Lines look like: "Tue 2026-03-03 09:00 GMT+5:30  send    recording  ...".
        let sends = run.stdoutLines.map { $0.split(separator: " ", omittingEmptySubsequences: true) }
            .filter { $0.count > 4 && $0[4] == "send" }
        #expect(sends.count == 4, "\(run.stdout)")
        let weekdayNames = [1: "Sun", 2: "Mon", 3: "Tue", 4: "Wed", 5: "Thu", 6: "Fri", 7: "Sat"]
        for words in sends {
            let printed = words.joined(separator: " ")
            let date = try #require(parser.date(from: "\(words[1]) \(words[2])"), "cannot read the time in: \(printed)")
            let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
            let weekday = try #require(parts.weekday), minutes = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
            #expect(weekdayNames[weekday] == String(words[0]), "printed weekday does not match the date: \(printed)")
            #expect((2...5).contains(weekday), "sent outside Mon-Thu: \(printed)")
            #expect(minutes >= 9 * 60 && minutes < 16 * 60, "sent outside 09:00-16:00: \(printed)")
        }
        #expect(run.stdout.contains("handed off after"))
    }

    @Test("an unknown sequence id is a clear error")
    func unknownSequence() throws {
        let run = try NurtureCLI.run(["explain", "post-webinr"])
        #expect(!run.crashed)
        #expect(run.status != 0)
        #expect(run.stderr.contains("no sequence 'post-webinr'"), "\(run.stderr)")
        #expect(run.stderr.contains("post-webinar, recycled-reengagement"), "the error should list the sequences: \(run.stderr)")
        #expect(run.stdout.isEmpty)
        // One line that says what to fix, not the usage of the whole program as if no command had been given.
        #expect(run.status == 64)
        #expect(run.stderrLines.count == 1, "\(run.stderr)")
        #expect(!run.stderr.contains("Usage: nurture <subcommand>"), "\(run.stderr)")
    }

    @Test("a command run away from its definitions folder says so in one line, with how to point at it")
    func missingDefinitionsFolder() throws {
        let folder = try TemporaryFolder.make("nurture-no-definitions")
        defer { TemporaryFolder.remove(folder) }
        let run = try NurtureCLI.run(["simulate", "post-webinar", "--prospects", "10"], in: folder)
        #expect(!run.crashed && run.status == 64)
        #expect(run.stderrLines.count == 1, "\(run.stderr)")
        #expect(run.stderr.contains("no definitions folder 'sequences' in "), "\(run.stderr)")
        #expect(run.stderr.contains("pass --definitions FOLDER"), "\(run.stderr)")
        #expect(run.stdout.isEmpty)

        // The scheduler's commands too, and without leaving a new, empty store behind.
        let tick = try NurtureCLI.run(["tick", "--db", "nurture.sqlite", "--relay", "smtp://127.0.0.1:2525"], in: folder)
        #expect(tick.status == 64 && tick.stderr.contains("no definitions folder 'sequences'"), "\(tick.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("nurture.sqlite").path))

        let named = try NurtureCLI.run(["explain", "post-webinar", "--definitions", "no-such-folder"])
        #expect(named.status == 64 && named.stderrLines.count == 1, "\(named.stderr)")
        #expect(named.stderr.contains("no definitions folder 'no-such-folder'"), "\(named.stderr)")

        // A mistyped variant file is named as such; the folder, which has no errors, is not blamed.
        let variant = try NurtureCLI.run(["compare", "post-webinar", "examples/variants/post-webinar-fast.yml", "--prospects", "10"])
        #expect(variant.status == 64)
        #expect(variant.stderrLines == ["Error: cannot read the sequence file examples/variants/post-webinar-fast.yml: no such file"],
                "\(variant.stderr)")
    }

    @Test("an events file that cannot be read stops the trace: a trace without the events asked for would mislead")
    func missingEventsFile() throws {
        var arguments = Self.traceArguments
        arguments[5] = "examples/events/priya-webinr.csv"
        let run = try NurtureCLI.run(arguments)
        #expect(!run.crashed && run.status == 1)
        #expect(run.stderrLines == ["examples/events/priya-webinr.csv:1:1: error: no such file"], "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test("a bad lead file stops the trace with path:line:col")
    func badLeadFile() throws {
        let folder = try TemporaryFolder.make("nurture-cli")
        defer { TemporaryFolder.remove(folder) }
        let original = try String(
            contentsOf: PackageFolders.root.appendingPathComponent("examples/leads/priya-natarajan.yml"), encoding: .utf8)
        let broken = original.replacingOccurrences(of: "time_zone: Asia/Kolkata", with: "time_zone: Asia/Kolkatta")
        #expect(broken != original)
        let path = try TemporaryFolder.write(broken, to: "priya.yml", in: folder)
        let line = try #require(broken.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.hasPrefix("time_zone:") }) + 1

        var arguments = Self.traceArguments
        arguments[3] = path
        let run = try NurtureCLI.run(arguments)
        #expect(!run.crashed)
        #expect(run.status != 0)
        #expect(run.stderr.contains("\(path):\(line):12: error: unknown time zone 'Asia/Kolkatta'"), "\(run.stderr)")
        #expect(!run.stdout.contains("send"), "no trace should be printed for a bad lead")
    }

    @Test("validate on a folder that does not exist fails cleanly")
    func missingFolder() throws {
        let run = try NurtureCLI.run(["validate", "no-such-folder"])
        #expect(!run.crashed)
        #expect(run.status == 1)
        #expect(run.stderr.contains("no-such-folder:1:1: error: no such definitions folder"), "\(run.stderr)")
    }

    @Test("validate checks a persona file given by path, and the persona file of a definitions folder")
    func validatesPersonaFiles() throws {
        let shipped = try NurtureCLI.run(["validate", "examples/personas/b2b-saas.yml"])
        #expect(shipped.status == 0 && shipped.stderr.isEmpty, "\(shipped.stderr)")
        #expect(shipped.stdout.contains("examples/personas/b2b-saas.yml: 6 personas over 7 time zones"), "\(shipped.stdout)")

        let folder = try TemporaryFolder.make("nurture-validate-personas")
        defer { TemporaryFolder.remove(folder) }
        try TemporaryFolder.copyFiles(of: PackageFolders.sequences, to: folder)
        let personas = try TemporaryFolder.write("""
            version: 1
            time_zones: {UTC: 1}
            personas:
              - id: everyone
                share: 1
                open: 1.5
                click: 0.1
                reply: 0
                unsubscribe: 0
                colour: red
            """, to: "personas.yml", in: folder)
        let run = try NurtureCLI.run(["validate", folder.path])
        #expect(!run.crashed && run.status == 1)
        #expect(run.stderrLines == [
            "\(personas):6:11: error: open is a probability and must be between 0 and 1, found 1.5",
            "\(personas):10:5: error: unknown key 'colour' in a persona; expected one of id, name, share, high_intent, open, click, "
                + "reply, unsubscribe, bounce, machine_open, open_delay, click_delay, fatigue, clicks, visits, fit, time_zones",
        ], "\(run.stderr)")
        #expect(run.stdout.contains("2 errors, 0 warnings"))

        // The same file by path, under another name: recognised by its `personas:` key, not taken for a sequence.
        let renamed = folder.appendingPathComponent("population.yml").path
        try FileManager.default.moveItem(atPath: personas, toPath: renamed)
        let byPath = try NurtureCLI.run(["validate", renamed])
        #expect(byPath.status == 1)
        #expect(byPath.stderrLines.count == 2 && byPath.stderrLines.allSatisfy { $0.hasPrefix("\(renamed):") }, "\(byPath.stderr)")
        // And so it is inside the folder: checked as a persona file, not loaded as a sequence.
        let inFolder = try NurtureCLI.run(["validate", folder.path])
        #expect(inFolder.status == 1)
        #expect(inFolder.stderrLines.count == 2 && inFolder.stderrLines.allSatisfy { $0.hasPrefix("\(renamed):") }, "\(inFolder.stderr)")
        #expect(inFolder.stdout.contains("\(folder.path): 4 sequences"), "\(inFolder.stdout)")
    }
}

