import Foundation
import NurtureCore
import NurtureDefinitions
@testable import NurtureSimulator
import NurtureTestSupport
import Testing

@Suite("Export and calibrate")
struct ExportCalibrateTests {
    /// A history put into a real SQLite store (leads imported, events ingested, sends and hand-offs
    /// recorded as the scheduler records them), exported, and calibrated: the same report as
    /// calibrating the history's own files, and files only their owner can read.
    @Test("export then calibrate round-trips a history through a real SQLite store")
    func roundTrip() throws {
        let folder = try TemporaryFolder.make()
        defer { TemporaryFolder.remove(folder) }
        let known = try CalibrationKit.population("known-personas.yml")
        let (generated, answers) = try CalibrationKit.history(known, leads: 400, seed: 21)
        let eventsPath = try TemporaryFolder.write(CalibrationKit.csv(generated), to: "history.csv", in: folder)
        let outcomeRows = answers.map {
            OutcomeLog.Row(
                lead: $0.lead, handedOffAt: $0.handedOffAt, sequence: "post-webinar", score: $0.score, grade: $0.grade, rep: nil,
                outcome: $0.answer.rawValue, reason: $0.reason, answeredAt: $0.answeredAt, touchedAt: $0.touchedAt)
        }
        let outcomesPath = try TemporaryFolder.write(OutcomeLog.csv(outcomeRows), to: "outcomes.csv", in: folder)
        // What the store will hold: the rows as read back (to the second), and the hand-offs as read back.
        let recording = RecordedHistoryFile.load(path: eventsPath)
        let answered = OutcomeLog.load(path: outcomesPath).rows
        #expect(!recording.diagnostics.hasErrors)

        let store = folder.appendingPathComponent("store.sqlite").path
        let leadIDs = Array(Set(generated.map(\.lead))).sorted()
        let leadsPath = try TemporaryFolder.write(
            "id,email\n" + leadIDs.map { "\($0),\($0.lowercased())@example.invalid" }.joined(separator: "\n") + "\n", to: "leads.csv", in: folder)
        let imported = try NurtureCLI.run(["leads", "import", leadsPath, "--db", store])
        #expect(imported.status == 0, "\(imported.stderr)")
        let responses = recording.rows.map {
            RecordedHistoryFile.row(at: $0.at, type: $0.event.kind.rawValue, category: $0.event.category, step: $0.event.step, lead: $0.lead!)
        }
        let responsesPath = try TemporaryFolder.write(([RecordedHistoryFile.header] + responses).joined(separator: "\n") + "\n", to: "responses.csv", in: folder)
        let ingested = try NurtureCLI.run(["events", "ingest", responsesPath, "--db", store])
        #expect(ingested.status == 0, "\(ingested.stderr)")

        let file = try StoreFile(store)
        let sends = recording.outcomes.filter { $0.kind == .emailSent }
        for (chunkStart, chunk) in stride(from: 0, to: sends.count, by: 200).map({ ($0, sends[$0..<min($0 + 200, sends.count)]) }) {
            let values = chunk.enumerated().map { offset, send in
                let at = send.at.timeIntervalSince1970
                return "('k\(chunkStart + offset)', '\(send.lead!)', 'post-webinar', '\(send.step!)', 'post-webinar/x', \(at), \(at), 'sent', \(at), \(at))"
            }
            try file.execute("""
                INSERT INTO send (key, lead_id, sequence, step, template, enrolled_at, due_at, status, next_attempt_at, finished_at)
                VALUES \(values.joined(separator: ", "))
                """)
        }
        for row in answered {
            let answer = row.outcome == "accepted" ? "'accept'" : row.outcome == "rejected" ? "'reject(\(row.reason!))'" : "NULL"
            try file.execute("""
                INSERT INTO hand_off (lead_id, sequence, reason, score, grade, at, status, answer, answered_at, touched_at)
                VALUES ('\(row.lead)', 'post-webinar', 'Reached MQL', \(row.score), '\(row.grade)', \(row.handedOffAt.timeIntervalSince1970),
                        '\(row.outcome)', \(answer), \(row.answeredAt.map { "\($0.timeIntervalSince1970)" } ?? "NULL"),
                        \(row.touchedAt.map { "\($0.timeIntervalSince1970)" } ?? "NULL"))
                """)
        }

        let exportedEvents = folder.appendingPathComponent("exported-events.csv").path
        let exportedOutcomes = folder.appendingPathComponent("exported-outcomes.csv").path
        let exported = try NurtureCLI.run(["export", "--db", store, "--events", exportedEvents, "--outcomes", exportedOutcomes])
        #expect(exported.status == 0, "\(exported.stderr)")
        for path in [exportedEvents, exportedOutcomes] {
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(path) has mode \(String(mode ?? 0, radix: 8))")
        }
        let machine = try String(contentsOfFile: exportedEvents, encoding: .utf8).split(separator: "\n").filter { $0.contains(",email_open,machine,") }
        #expect(machine.count == generated.count { $0.category == "machine" })

        func calibrate(_ events: String, _ outcomes: String) throws -> String {
            let run = try NurtureCLI.run([
                "calibrate", "--events", events, "--outcomes", outcomes, "--personas", "examples/calibration/start-personas.yml",
                "--format", "json",
            ])
            #expect(run.status == 0, "\(run.stderr)")
            return run.stdout
        }
        let fromFiles = try calibrate(eventsPath, outcomesPath)
        let fromStore = try calibrate(exportedEvents, exportedOutcomes)
        #expect(fromStore == fromFiles)
        #expect(fromStore.contains("\"acceptance\""))
        #expect(fromStore.contains("\"time_to_first_touch\""))
    }
}
