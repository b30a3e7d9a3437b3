import Foundation
import NurtureTestSupport
import Testing

/// `nurture backtest` run as a subprocess on the shipped example recording, and on a recording
/// with bad rows.
@Suite("nurture backtest")
struct CLIBacktestTests {
    static let leads = "examples/backtest/leads.csv"
    static let events = "examples/backtest/webinar-q4-events.csv"

    static func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The example recording's rows, read here without the product's parser: (type, lead).
    static func recordedRows() throws -> [(type: String, lead: String)] {
        let text = try String(contentsOf: PackageFolders.root.appendingPathComponent(events), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return (fields[1], fields[4])
        }
    }

    @Test("the example recording: the recorded side counts what the file holds, and the totals add up")
    func exampleRecording() throws {
        let run = try NurtureCLI.run(["backtest", "post-webinar", "--leads", Self.leads, "--events", Self.events, "--format", "json"])
        #expect(run.status == 0 && !run.crashed, "stderr: \(run.stderr)")
        #expect(run.stderr.isEmpty, "\(run.stderr)")
        let report = try Self.object(run.stdoutData)
        let rows = try Self.recordedRows()
        let leadCount = try String(contentsOf: PackageFolders.root.appendingPathComponent(Self.leads), encoding: .utf8)
            .split(separator: "\n").count - 1
        #expect(report["sequence"] as? String == "post-webinar")
        #expect(report["days"] as? Int == 90)
        #expect(report["start"] == nil)
        #expect(report["leads"] as? Int == leadCount)
        #expect(report["recorded_sends"] as? Int == rows.filter { $0.type == "email_sent" }.count)
        #expect(report["recorded_hand_offs"] as? Int == Set(rows.filter { $0.type == "handed_off" }.map(\.lead)).count)
        let results = try #require(report["results"] as? [[String: Any]])
        #expect(results.count == leadCount)
        #expect(report["would_send"] as? Int == results.compactMap { $0["would_send"] as? Int }.reduce(0, +))
        #expect((report["would_send"] as? Int ?? 0) > 0)
        let both = results.filter { $0["recorded_hand_off"] != nil && $0["would_hand_off"] != nil }.count
        #expect(report["handed_off_by_both"] as? Int == both)
        #expect(results.filter { $0["hand_off_shift_days"] != nil }.count == both)

        // The same command gives the same bytes.
        let again = try NurtureCLI.run(["backtest", "post-webinar", "--leads", Self.leads, "--events", Self.events, "--format", "json"])
        #expect(again.stdoutData == run.stdoutData)
    }

    @Test("text and an HTML page written with --out")
    func textAndPage() throws {
        let text = try NurtureCLI.run(["backtest", "post-webinar", "--leads", Self.leads, "--events", Self.events])
        #expect(text.status == 0, "stderr: \(text.stderr)")
        #expect(text.stdout.hasPrefix("Backtest of post-webinar on 30 recorded leads"))
        #expect(text.stdout.contains("Handed off by both:"))

        let folder = try TemporaryFolder.make("nurture-backtest")
        defer { TemporaryFolder.remove(folder) }
        let page = folder.appendingPathComponent("backtest.html").path
        let html = try NurtureCLI.run(["backtest", "post-webinar", "--leads", Self.leads, "--events", Self.events, "--format", "html", "--out", page])
        #expect(html.status == 0, "stderr: \(html.stderr)")
        #expect(html.stdout.isEmpty)
        #expect(html.stderr.contains("wrote \(page)"))
        let written = try String(contentsOfFile: page, encoding: .utf8)
        #expect(written.hasPrefix("<!DOCTYPE html>"))
        #expect(written.contains("Backtest: post-webinar"))
    }

    @Test("bad rows are reported with their line and column, and the good rows are kept")
    func badRows() throws {
        let folder = try TemporaryFolder.make("nurture-backtest")
        defer { TemporaryFolder.remove(folder) }
        let file = folder.appendingPathComponent("events.csv")
        try """
            at,type,category,step,lead
            2025-10-14T15:12:00Z,email_sent,,recording,L-3100
            2025-10-15T09:00:00Z,email_open,,recording,L-9999
            yesterday,email_open,,recording,L-3100
            2025-10-16T09:00:00Z,email_teleport,,recording,L-3100
            2025-10-17T15:12:00Z,email_sent,,case-study,L-3100
            2025-10-18T01:35:41Z,email_click,pricing,case-study,ana.silva@example.org

            """.write(to: file, atomically: true, encoding: .utf8)
        let run = try NurtureCLI.run(["backtest", "post-webinar", "--leads", Self.leads, "--events", file.path, "--format", "json"])
        #expect(run.status == 0 && !run.crashed, "stderr: \(run.stderr)")
        #expect(run.stderr.contains("\(file.path):3:1: warning: no lead 'L-9999'"), "\(run.stderr)")
        #expect(run.stderr.contains("\(file.path):4:1: error: 'yesterday' is not a time"), "\(run.stderr)")
        #expect(run.stderr.contains("\(file.path):5:22: error: unknown event type 'email_teleport'"), "\(run.stderr)")
        let report = try Self.object(run.stdoutData)
        #expect(report["recorded_sends"] as? Int == 2)
        let results = try #require(report["results"] as? [[String: Any]])
        let ana = try #require(results.first { $0["lead"] as? String == "L-3100" })
        #expect(ana["recorded_sends"] as? Int == 2)
        #expect(ana["enrolled"] as? String == "2025-10-14T15:12:00Z")
    }

    @Test("a leads file with no usable lead is an error")
    func noLeads() throws {
        let folder = try TemporaryFolder.make("nurture-backtest")
        defer { TemporaryFolder.remove(folder) }
        let file = folder.appendingPathComponent("leads.csv")
        try "id,email\n".write(to: file, atomically: true, encoding: .utf8)
        let run = try NurtureCLI.run(["backtest", "post-webinar", "--leads", file.path, "--events", Self.events])
        #expect(run.status != 0 && !run.crashed)
        #expect(run.stderr.contains("no usable leads in \(file.path)"), "\(run.stderr)")
    }

    @Test("an events file that is missing, or holds no usable row, is an error: there is nothing to replay")
    func noEvents() throws {
        let folder = try TemporaryFolder.make("nurture-backtest")
        defer { TemporaryFolder.remove(folder) }
        let missing = folder.appendingPathComponent("typo.csv").path
        let run = try NurtureCLI.run(["backtest", "post-webinar", "--leads", Self.leads, "--events", missing])
        #expect(run.status != 0 && !run.crashed)
        #expect(run.stderrLines.first == "\(missing):1:1: error: no such file", "\(run.stderr)")
        #expect(run.stderr.contains("no usable events in \(missing)"), "\(run.stderr)")
        #expect(run.stdout.isEmpty)

        let headerOnly = folder.appendingPathComponent("events.csv")
        try "lead,time,event\n".write(to: headerOnly, atomically: true, encoding: .utf8)
        let empty = try NurtureCLI.run(["backtest", "post-webinar", "--leads", Self.leads, "--events", headerOnly.path])
        #expect(empty.status != 0 && !empty.crashed)
        #expect(empty.stderr.contains("no usable events in \(headerOnly.path)"), "\(empty.stderr)")
    }

    @Test("--days outside 1...3650 is refused before anything runs")
    func noDays() throws {
        let run = try NurtureCLI.run(["backtest", "post-webinar", "--leads", Self.leads, "--events", Self.events, "--days", "0"])
        #expect(run.status == 64 && !run.crashed)
        #expect(run.stderr.contains("--days must be between 1 and 3650"), "\(run.stderr)")
    }
}
