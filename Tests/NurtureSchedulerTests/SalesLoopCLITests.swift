import Foundation
import NurtureTestSupport
import Testing

/// The sales-loop commands as the built binary: bad input gets one clear line and exit code 64,
/// and the store is left as it was; rep actions come in from a CRM export, once.
@Suite(.timeLimit(.minutes(8)))
struct SalesLoopCLITests {
    struct Store {
        let folder: URL
        let db: String
        let definitions = PackageFolders.sequences.path

        init() throws {
            folder = try TemporaryFolder.make("nurture-loop-cli")
            db = folder.appendingPathComponent("nurture.sqlite").path
            let leads = folder.appendingPathComponent("leads.csv")
            try """
                id,email,first_name,last_name,company,title,company_size,industry,time_zone,stage,owner_name,owner_email,demo_focus
                A-1,ana@acme.example,Ana,Silva,Acme,VP Revenue Operations,800,software,UTC,lead,Hannah Lee,hannah.lee@example.com,forecasting
                B-1,ben@beta.example,Ben,Berg,Beta,Sales Manager,300,logistics,UTC,sal,,,forecasting

                """.write(to: leads, atomically: true, encoding: .utf8)
            let imported = try NurtureCLI.run(["leads", "import", leads.path, "--db", db])
            guard imported.status == 0 else { throw TestEnvironment.Failure(description: imported.stderr) }
        }

        func run(_ arguments: [String]) throws -> ToolRun {
            try NurtureCLI.run(arguments + ["--db", db] + (arguments.first == "handoffs" && ["list", "show"].contains(arguments[1]) ? [] : ["--definitions", definitions]))
        }

        func tables() throws -> [String] {
            let file = try StoreFile(db)
            return try ["lead", "inbox", "hand_off", "notice", "nurture_request", "rep_action", "audit"].flatMap { table in
                try file.rows("SELECT * FROM \(table)").map { "\(table) \($0)" }
            }
        }
    }

    @Test("unknown hand-offs, reasons, actions and reps are refused with exit 64 and one line; nothing changes")
    func refusals() throws {
        let store = try Store()
        defer { TemporaryFolder.remove(store.folder) }
        let before = try store.tables()
        let cases: [([String], String)] = [
            (["handoffs", "accept", "999"], "no hand-off 999"),
            (["handoffs", "show", "999"], "no hand-off 999"),
            (["handoffs", "reject", "1", "--reason", "maybe"], "no hand-off 1"),
            (["handoffs", "touch", "0"], "an id is a whole number from 1"),
            (["handoffs", "outcome", "ana@acme.example", "won"], "'won' is not allowed for a lead in stage 'lead'; it is allowed from opportunity"),
            (["handoffs", "outcome", "ana@acme.example", "reject(maybe)"], "the lifecycle has no reason 'maybe' for 'reject'; it knows bad-fit, not-ready"),
            (["handoffs", "outcome", "nobody@example.com", "accept"], "no lead 'nobody@example.com'"),
            (["handoffs", "accept", "1", "--at", "2999-01-01"], "between the years 2000 and 2200"),
            (["request", "post-demo-not-ready", "--lead", "ana@acme.example", "--rep", "marcus.webb@example.com"],
             "ana@acme.example belongs to Hannah Lee <hannah.lee@example.com>; add --reassign to take it over"),
            (["request", "post-demo-not-ready", "--lead", "ben@beta.example", "--rep", "priya.raman@example.com"],
             "its rep priya.raman@example.com has no phone, which the emails use"),
            (["request", "post-demo-not-ready", "--lead", "ben@beta.example", "--rep", "eve@evil.example\u{1B}[2J"], "no rep"),
            (["request", "cancel", "7"], "no request 7"),
        ]
        for (arguments, expected) in cases {
            let run = try store.run(arguments)
            #expect(run.status == 64, "\(arguments): \(run.status) \(run.stderr)")
            #expect(run.stderr.contains(expected), "\(arguments): \(run.stderr)")
            // One line for a refusal; a value the parser refuses also gets the command's usage.
            #expect(run.stderrLines.first?.hasPrefix("Error: ") ?? false, "\(arguments): \(run.stderr)")
        }
        #expect(try store.tables() == before)
    }

    @Test("rep actions from a CRM export: checked against the lifecycle, recorded once however often the file comes in")
    func repActionsFromAnExport() throws {
        let store = try Store()
        defer { TemporaryFolder.remove(store.folder) }
        let export = store.folder.appendingPathComponent("crm.csv")
        try """
            at,type,lead,action,id
            2026-03-02T15:00:00Z,rep_action,ben@beta.example,qualify,crm-1
            2026-03-02T15:05:00Z,rep_action,ben@beta.example,celebrate,crm-2
            2026-03-02T15:06:00Z,rep_action,nobody@example.com,qualify,crm-3
            2026-03-02T15:07:00Z,rep_action,ben@beta.example,,crm-4

            """.write(to: export, atomically: true, encoding: .utf8)
        let first = try store.run(["events", "ingest", export.path])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("1 event read: 1 new, 0 already known; 3 rows skipped"), "\(first.stdout)")
        #expect(first.stderr.contains("crm.csv:3:1: error: the lifecycle has no action 'celebrate'"), "\(first.stderr)")
        #expect(first.stderr.contains("crm.csv:4:1: error: no lead 'nobody@example.com' in the store"), "\(first.stderr)")
        #expect(first.stderr.contains("crm.csv:5:"), "\(first.stderr)")
        let second = try store.run(["events", "ingest", export.path])
        #expect(second.stdout.hasPrefix("1 event read: 0 new, 1 already known"), "\(second.stdout)")
        let file = try StoreFile(store.db)
        #expect(try file.count("SELECT COUNT(*) FROM rep_action WHERE action = 'qualify' AND source = 'import'") == 1)
        #expect(try file.count("SELECT COUNT(*) FROM inbox WHERE id LIKE 'rep_action|%qualify'") == 1)
    }
}
