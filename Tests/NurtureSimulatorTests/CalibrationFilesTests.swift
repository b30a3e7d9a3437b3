import Foundation
import NurtureCore
import NurtureDefinitions
@testable import NurtureSimulator
import NurtureTestSupport
import PropertyBased
import Testing

@Suite("Calibration files")
struct CalibrationFilesTests {
    @Test("broken outcome rows are reported at file:line:column with their field, and the good rows kept")
    func brokenOutcomeRows() throws {
        let folder = try TemporaryFolder.make()
        defer { TemporaryFolder.remove(folder) }
        let path = try TemporaryFolder.write("""
            lead,handed_off_at,score,grade,outcome,reason
            L-1,2026-03-02T10:00:00Z,85,A,accepted,
            L-2,2026-03-02T10:00:00Z,abc,A,accepted,
            L-3,2026-03-02T10:00:00Z,85,A,maybe,
            L-4,yesterday,85,A,rejected,not-ready
            L-5,2026-03-02T10:00:00Z,"85,A,rejected,
            L-6,2026-03-03T10:00:00Z,91,B,rejected,not-ready
            L-7,2026-03-03T10:00:00Z,nan,B,rejected,
            """, to: "outcomes.csv", in: folder)
        let (rows, diagnostics) = OutcomeLog.load(path: path)
        #expect(rows.map(\.lead) == ["L-1", "L-6"])
        #expect(rows.last?.reason == "not-ready")
        let messages = diagnostics.sorted.map(\.description)
        #expect(messages.count == 5, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("\(path):3:26: error: score: 'abc' is not a score") })
        #expect(messages.contains { $0.hasPrefix("\(path):4:31: error: outcome: 'maybe' is not an outcome") })
        #expect(messages.contains { $0.hasPrefix("\(path):5:5: error: handed_off_at: 'yesterday' is not a time") })
        #expect(messages.contains { $0.hasPrefix("\(path):6:26: error: unterminated quoted field") })
        #expect(messages.contains { $0.hasPrefix("\(path):8:26: error: score: 'nan' is not a score") })
    }

    @Test("a missing required column stops the outcomes file with one error")
    func missingOutcomeColumn() throws {
        let folder = try TemporaryFolder.make()
        defer { TemporaryFolder.remove(folder) }
        let path = try TemporaryFolder.write("lead,handed_off_at,score,outcome\nL-1,2026-03-02T10:00:00Z,85,accepted\n", to: "o.csv", in: folder)
        let (rows, diagnostics) = OutcomeLog.load(path: path)
        #expect(rows.isEmpty)
        #expect(diagnostics.sorted.map(\.description) == ["\(path):1:1: error: missing column 'grade'"])
    }

    @Test("broken history rows are reported at file:line with their field, and calibrate goes on with the good ones")
    func brokenHistoryRows() throws {
        let folder = try TemporaryFolder.make()
        defer { TemporaryFolder.remove(folder) }
        let known = try CalibrationKit.population("known-personas.yml")
        let (rows, _) = try CalibrationKit.history(known, leads: 300, seed: 9)
        let broken = CalibrationKit.csv(rows)
            + "2026-13-40T00:00:00Z,email_open,,recording,L-00001\n"
            + "2026-03-05T00:00:00Z,email_opne,,recording,L-00001\n"
            + "2026-03-05T00:00:00Z,email_open,,recording,L-00001,extra\n"
        let path = try TemporaryFolder.write(broken, to: "history.csv", in: folder)
        let line = rows.count + 2
        let recording = RecordedHistoryFile.load(path: path)
        #expect(recording.rows.count + recording.outcomes.count == rows.count)
        let messages = recording.diagnostics.sorted.map(\.description)
        #expect(messages.count == 3, "\(messages)")
        #expect(messages[0].hasPrefix("\(path):\(line):1: error: at: '2026-13-40T00:00:00Z' is not a time"))
        #expect(messages[1].hasPrefix("\(path):\(line + 1):22: error: type: unknown event type 'email_opne'"))
        #expect(messages[2].hasPrefix("\(path):\(line + 2):52: error: expected 5 fields, found 6"))

        let run = try NurtureCLI.run([
            "calibrate", "--events", path, "--personas", "examples/calibration/start-personas.yml", "--format", "json",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.crashed)
        #expect(run.stderrLines.count == 3)
        #expect(run.stderr.contains("\(path):\(line):1: error: at:"))
        let report = try JSONSerialization.jsonObject(with: run.stdoutData) as? [String: Any]
        #expect((report?["leads"] as? Int ?? 0) > 250)
    }

    @Test("a file that is not a history, or bad options, fail with a message and no crash")
    func unusableInput() throws {
        let folder = try TemporaryFolder.make()
        defer { TemporaryFolder.remove(folder) }
        let empty = try TemporaryFolder.write("at,type,category,step,lead\n", to: "empty.csv", in: folder)
        let binary = try TemporaryFolder.write("\u{FF}\u{FE}a\u{0}b", to: "binary.csv", in: folder)
        for arguments in [
            ["calibrate", "--events", empty],
            ["calibrate", "--events", binary],
            ["calibrate", "--events", folder.appendingPathComponent("missing.csv").path],
            ["calibrate", "--events", "examples/calibration/history-events.csv", "--acceptance", "120%"],
            ["calibrate", "--events", "examples/calibration/history-events.csv", "--holdout-after", "2026-04-20"],
            ["calibrate", "--events", "examples/calibration/history-events.csv", "--holdout-after", "someday", "--sequence", "post-webinar"],
        ] {
            let run = try NurtureCLI.run(arguments)
            #expect(run.status != 0, "\(arguments)")
            #expect(!run.crashed, "\(arguments)")
            #expect(!run.stderr.isEmpty, "\(arguments)")
        }
    }

    @Test("--leads keeps only the rows of the leads in the table, and says how many it left out")
    func onlyListedLeads() throws {
        let folder = try TemporaryFolder.make()
        defer { TemporaryFolder.remove(folder) }
        let ids = (1...300).map { String(format: "L-%05d", $0) }
        let leads = try TemporaryFolder.write("id,email\n" + ids.map { "\($0),\($0)@example.invalid" }.joined(separator: "\n") + "\n", to: "leads.csv", in: folder)
        let run = try NurtureCLI.run([
            "calibrate", "--events", "examples/calibration/history-events.csv", "--leads", leads,
            "--personas", "examples/calibration/start-personas.yml", "--format", "json",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("of leads not in \(leads) left out"))
        let report = try JSONSerialization.jsonObject(with: run.stdoutData) as? [String: Any]
        // Leads with a send are fitted: all but the odd one the sequence never mailed.
        let fitted = report?["leads"] as? Int ?? 0
        #expect(fitted > 290 && fitted <= 300)
    }

    @Test("times as export writes them read the same without the formatter as with it")
    func exportTimesReadAsTheFormatterReadsThem() async {
        let formatter = ISO8601DateFormatter()
        await propertyCheck(count: 500, input: Gen.int(in: -2_000_000_000...4_000_000_000)) { seconds in
            let text = formatter.string(from: Date(timeIntervalSince1970: Double(seconds)))
            #expect(Timestamp.parseUTC(text) == formatter.date(from: text), "\(text)")
        }
        for text in ["2026-02-30T10:00:00Z", "2026-13-01T10:00:00Z", "2026-03-01T24:00:00Z", "2026-03-01T10:00:00+01:00", "2026-03-01 10:00:00Z"] {
            #expect(Timestamp.parseUTC(text) == nil, "\(text)")
        }
    }
}
