import Foundation
import NurtureCore
import NurtureSimulator
import NurtureTestSupport
import Testing

/// `nurture simulate` run as a subprocess from the package root: the JSON report, its
/// reproducibility, and its independence from the number of threads.
@Suite("nurture simulate")
struct CLISimulateTests {
    static let arguments = ["simulate", "post-webinar", "--prospects", "2000", "--days", "30", "--format", "json"]

    static func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("--format json exits 0 with a parseable report")
    func jsonReport() throws {
        let run = try NurtureCLI.run(Self.arguments)
        #expect(!run.crashed)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let report = try Self.object(run.stdoutData)
        for key in ["funnel", "days", "steps", "setup"] {
            #expect(report[key] != nil, "missing key \(key)")
        }
        let setup = try #require(report["setup"] as? [String: Any])
        #expect(setup["sequence"] as? String == "post-webinar")
        #expect(setup["prospects"] as? Int == 2000)
        #expect(setup["days"] as? Int == 30)
        #expect(setup["seed"] as? Int == 1)
        let days = try #require(report["days"] as? [[String: Any]])
        #expect(days.count == 30)
        let funnel = try #require(report["funnel"] as? [[String: Any]])
        #expect(funnel.compactMap { $0["stage"] as? String } == SimulationStats.Stage.allCases.map(\.key))
        let enrolled = try #require(funnel.first?["share"] as? [String: Any])
        #expect(enrolled["total"] as? Int == 2000)
        let steps = try #require(report["steps"] as? [[String: Any]])
        #expect(steps.first?["id"] as? String == "recording")
        #expect((steps.first?["sent"] as? Int ?? 0) > 0)
    }

    @Test("the same command twice gives identical bytes, and so do --threads 1 and --threads 2")
    func reproducible() throws {
        let first = try NurtureCLI.run(Self.arguments)
        let second = try NurtureCLI.run(Self.arguments)
        let one = try NurtureCLI.run(Self.arguments + ["--threads", "1"])
        let two = try NurtureCLI.run(Self.arguments + ["--threads", "2"])
        for run in [first, second, one, two] {
            #expect(run.status == 0 && !run.crashed, "stderr: \(run.stderr)")
        }
        #expect(!first.stdoutData.isEmpty)
        #expect(first.stdoutData == second.stdoutData)
        #expect(one.stdoutData == two.stdoutData)
        #expect(first.stdoutData == one.stdoutData)
        // A different seed gives a different report.
        let reseeded = try NurtureCLI.run(Self.arguments + ["--seed", "2"])
        #expect(reseeded.status == 0)
        #expect(reseeded.stdoutData != first.stdoutData)
    }

    @Test("the command's report is the library's report for the same setup")
    func matchesLibrary() async throws {
        let run = try NurtureCLI.run(Self.arguments)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        // The command's defaults: seed 1, start 2026-01-05T14:00:00Z, 5 reps of 20 a day.
        let setup = try SimTestKit.shippedSetup(prospects: 2000, days: 30, seed: 1)
        let stats = try await Simulation.run(setup, threads: 2)
        #expect(run.stdout == (try SimulationReport(stats: stats, setup: setup).json()))
    }

    @Test("--out writes the same report to a file")
    func writesFile() throws {
        let folder = try TemporaryFolder.make("nurture-sim-out")
        defer { TemporaryFolder.remove(folder) }
        let path = folder.appendingPathComponent("report.json").path
        let small = ["simulate", "post-webinar", "--prospects", "300", "--days", "20", "--format", "json"]
        let toFile = try NurtureCLI.run(small + ["--out", path])
        #expect(toFile.status == 0, "stderr: \(toFile.stderr)")
        #expect(toFile.stdoutData.isEmpty)
        let toStdout = try NurtureCLI.run(small)
        #expect(FileManager.default.contents(atPath: path) == toStdout.stdoutData)
    }

    @Test("--sweep runs one simulation per threshold; a malformed sweep is refused")
    func sweep() throws {
        let run = try NurtureCLI.run(["simulate", "post-webinar", "--prospects", "400", "--days", "20",
                                      "--sweep", "threshold=60..100:20", "--format", "json"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let sweep = try Self.object(run.stdoutData)
        let rows = try #require(sweep["rows"] as? [[String: Any]])
        #expect(rows.compactMap { $0["threshold"] as? Double } == [60, 80, 100])
        let counts = rows.compactMap { ($0["hand_offs"] as? [String: Any])?["count"] as? Int }
        #expect(counts.count == 3)
        #expect(counts == counts.sorted(by: >), "hand-offs should not rise with the threshold: \(counts)")

        for bad in ["threshold=:", "threshold=100..60", "foo=1..2"] {
            let refused = try NurtureCLI.run(["simulate", "post-webinar", "--prospects", "10", "--sweep", bad])
            #expect(!refused.crashed, "--sweep \(bad) crashed")
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("must look like threshold=40..120:10"), "stderr: \(refused.stderr)")
        }
    }

    @Test("bad options are refused with a message")
    func badOptions() throws {
        for arguments in [["--prospects", "0"], ["--days", "0"], ["--start", "yesterday"], ["--threads", "0"]] {
            let run = try NurtureCLI.run(["simulate", "post-webinar"] + arguments)
            #expect(!run.crashed)
            #expect(run.status != 0, "\(arguments)")
            #expect(!run.stderr.isEmpty, "\(arguments)")
            #expect(run.stdoutData.isEmpty, "\(arguments)")
        }
        let unknown = try NurtureCLI.run(["simulate", "no-such-sequence", "--prospects", "10"])
        #expect(!unknown.crashed)
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no-such-sequence"), "stderr: \(unknown.stderr)")

        // A persona file named on the command line is that file: a wrong path is not replaced by a default.
        let personas = try NurtureCLI.run(["simulate", "post-webinar", "--prospects", "10", "--personas", "examples/personas/b2b.yml"])
        #expect(personas.status == 1 && personas.stdoutData.isEmpty)
        #expect(personas.stderrLines == ["examples/personas/b2b.yml:1:1: error: no such file"], "stderr: \(personas.stderr)")

        // Refused before the run: a long dry-run must not end with nowhere to write its report.
        for command in [["simulate", "post-webinar"], ["compare", "post-webinar", "examples/variants/post-webinar-faster.yml"]] {
            let out = try NurtureCLI.run(command + ["--prospects", "10", "--out", "no-such-folder/report.txt"])
            #expect(out.status == 64 && out.stdoutData.isEmpty)
            #expect(out.stderrLines.first == "Error: cannot write no-such-folder/report.txt: there is no folder no-such-folder",
                    "stderr: \(out.stderr)")
            #expect(!out.stderr.contains("wrote"))
        }
    }
}
