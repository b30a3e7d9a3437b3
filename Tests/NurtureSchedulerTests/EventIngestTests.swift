import Foundation
import NurtureCore
import NurtureDefinitions
import NurtureScheduler
import NurtureStore
import NurtureTestSupport
import Testing

/// `nurture events ingest` is idempotent: the same file twice adds nothing the second time, and the
/// engine applies each event once.
@Suite(.timeLimit(.minutes(8)))
struct EventIngestTests {
    @Test("the same events file ingested twice adds nothing the second time; the engine sees each event once")
    func ingestTwice() async throws {
        let folder = try TemporaryFolder.make("nurture-events")
        defer { TemporaryFolder.remove(folder) }
        let db = folder.appendingPathComponent("nurture.sqlite").path
        let definitions = try TestEnvironment.shippedDefinitions.get()

        let leads = folder.appendingPathComponent("leads.csv")
        try """
            id,email,first_name,last_name,company,title,industry,company_size,country,time_zone,stage
            L-20418,priya.natarajan@example.org,Priya,Natarajan,Kestrel Systems,"Senior Manager, Revenue Operations",software,850,India,Asia/Kolkata,lead

            """.write(to: leads, atomically: true, encoding: .utf8)
        #expect(try NurtureCLI.run(["leads", "import", leads.path, "--db", db]).status == 0)

        // Events with the tracking system's id, events without one (known by their content), and
        // one for a lead the store does not have.
        let events = folder.appendingPathComponent("events.csv")
        try """
            at,type,category,step,lead,id
            2026-03-03T10:12:00+05:30,email_open,,recording,priya.natarajan@example.org,evt-1
            2026-03-03T10:15:00+05:30,email_click,webinar-recording,recording,L-20418,evt-2
            2026-03-03T21:40:00+05:30,page_visit,blog,,L-20418,evt-3
            2026-03-05T09:44:00+05:30,form_fill,live-tour,,priya.natarajan@example.org,
            2026-03-06T08:37:00+05:30,page_visit,pricing,,L-20418,
            2026-03-06T08:40:00+05:30,page_visit,pricing,,nobody@example.org,

            """.write(to: events, atomically: true, encoding: .utf8)
        let first = try NurtureCLI.run(["events", "ingest", events.path, "--db", db])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout == "5 events read: 5 new, 0 already known; 1 row skipped\n", "\(first.stdout)")
        #expect(first.stderrLines == ["\(events.path):7:1: error: no lead 'nobody@example.org' in the store; row skipped"], "\(first.stderr)")
        let second = try NurtureCLI.run(["events", "ingest", events.path, "--db", db])
        #expect(second.status == 0)
        #expect(second.stdout == "5 events read: 0 new, 5 already known; 1 row skipped\n", "\(second.stdout)")
        let file = try StoreFile(db)
        #expect(try file.count("SELECT COUNT(*) FROM inbox") == 5)

        // The scheduler applies them: once each, as a replay of the five events once says.
        let now = utc(2026, 3, 7, 12)
        let port = try Ports.free()
        let rig = try VirtualRig(folder: folder, definitions: definitions, relay: "smtp://127.0.0.1:\(port)", start: now)
        let pass = try await rig.scheduler.pass()
        #expect(pass.leads == 1 && pass.queued == 0, "\(pass)")
        #expect(try file.count("SELECT COUNT(*) FROM inbox WHERE processed = 1") == 5)
        let (lead, stored) = try #require(try rig.store.lead("L-20418"))
        let state = try #require(stored)

        let engine = Engine(definitions)
        let (rows, diagnostics) = EventLog.load(path: events.path)
        #expect(!diagnostics.hasErrors)
        let once = rows.prefix(5)
        var expected = engine.start(lead, at: try #require(once.first?.at))
        for row in once { _ = engine.step(&expected, lead: lead, input: .event(row.event), at: row.at) }
        _ = engine.step(&expected, lead: lead, input: .timePassed, at: now)
        #expect(state.score == expected.score)
        #expect(state.history == expected.history)
        let score = engine.facts(state, lead: lead, at: now).engagement
        var twice = expected
        for row in once { _ = engine.step(&twice, lead: lead, input: .event(row.event), at: row.at.addingTimeInterval(1)) }
        #expect(engine.facts(twice, lead: lead, at: now).engagement > score, "applying them twice would show")

        // A third ingest after the scheduler has run: still nothing new, nothing for the engine.
        let third = try NurtureCLI.run(["events", "ingest", events.path, "--db", db])
        #expect(third.stdout.hasPrefix("5 events read: 0 new, 5 already known"), "\(third.stdout)")
        rig.clock.advance(by: 3600)
        let idle = try await rig.scheduler.pass()
        #expect(idle.leads == 0, "\(idle)")
        #expect(try rig.store.lead("L-20418")?.1 == state)
        // Nothing for the engine: what is still due is the rep's hand-off notice (this test has no
        // relay) and any hand-off deadline.
        func dates(_ sql: String) throws -> [Date] { try rig.file().rows(sql).map { Date(timeIntervalSince1970: $0[0]) } }
        let due = try dates("SELECT due_at FROM hand_off WHERE status = 'open'")
            + dates("SELECT next_attempt_at FROM notice WHERE status = 'pending'")
        #expect(try rig.store.nextDue() == due.min())
        #expect(try rig.file().count("SELECT COUNT(*) FROM send WHERE status = 'pending'") == 0)
    }

    @Test("a mistyped store or input path is refused without leaving a new, empty store behind")
    func missingStoreOrFile() throws {
        let folder = try TemporaryFolder.make("nurture-missing")
        defer { TemporaryFolder.remove(folder) }
        let db = folder.appendingPathComponent("nurture.sqlite").path
        func storeExists() -> Bool { FileManager.default.fileExists(atPath: db) }

        for command in [["status"], ["leads", "show", "L-1"], ["enroll", "post-webinar", "--lead", "L-1"],
                        ["events", "ingest", "examples/backtest/webinar-q4-events.csv"]] {
            let run = try NurtureCLI.run(command + ["--db", db])
            #expect(run.status == 64, "\(command)")
            #expect(run.stderr.contains("no store at \(db); 'nurture leads import LEADS.csv --db \(db)' creates one"),
                    "\(command): \(run.stderr)")
            #expect(!storeExists(), "\(command) created the store")
        }
        let missingLeads = try NurtureCLI.run(["leads", "import", "examples/backtest/lead.csv", "--db", db])
        #expect(missingLeads.status == 1)
        #expect(missingLeads.stderrLines == ["examples/backtest/lead.csv:1:1: error: no such file"], "\(missingLeads.stderr)")
        #expect(!storeExists())

        #expect(try NurtureCLI.run(["leads", "import", "examples/backtest/leads.csv", "--db", db]).status == 0)
        let missingEvents = try NurtureCLI.run(["events", "ingest", "examples/events/priya.csv", "--db", db])
        #expect(missingEvents.status == 1)
        #expect(missingEvents.stderrLines == ["examples/events/priya.csv:1:1: error: no such file"], "\(missingEvents.stderr)")
        // A log written for one lead, as 'trace' reads, names no lead: one error, not one per row.
        let noLeads = try NurtureCLI.run(["events", "ingest", "examples/events/priya-webinar.csv", "--db", db])
        #expect(noLeads.status == 1)
        #expect(noLeads.stderrLines == ["examples/events/priya-webinar.csv:1:1: error: no 'lead' column: each event needs its lead's id or email"],
                "\(noLeads.stderr)")
        // Every row refused: a script running the ingest must hear of it.
        let events = folder.appendingPathComponent("events.csv")
        try "at,type,lead\n2026-03-03T10:12:00Z,email_open,nobody@example.org\n".write(to: events, atomically: true, encoding: .utf8)
        let unknown = try NurtureCLI.run(["events", "ingest", events.path, "--db", db])
        #expect(unknown.status == 1)
        #expect(unknown.stdout == "0 events read: 0 new, 0 already known; 1 row skipped\n", "\(unknown.stdout)")
    }

    @Test("an unsubscribe naming the lead's address in other letter case still reaches the lead")
    func addressInOtherCase() throws {
        let folder = try TemporaryFolder.make("nurture-events-case")
        defer { TemporaryFolder.remove(folder) }
        let db = folder.appendingPathComponent("nurture.sqlite").path
        let leads = folder.appendingPathComponent("leads.csv")
        try "id,email,stage\nL-1,priya.natarajan@example.org,lead\nL-2,Dana.Reyes@Example.org,lead\n"
            .write(to: leads, atomically: true, encoding: .utf8)
        #expect(try NurtureCLI.run(["leads", "import", leads.path, "--db", db]).status == 0)
        let events = folder.appendingPathComponent("events.csv")
        try """
            at,type,category,step,lead,id
            2026-03-03T10:12:00Z,unsubscribe,,,Priya.Natarajan@EXAMPLE.org,u-1
            2026-03-03T10:13:00Z,unsubscribe,,,dana.reyes@example.org,u-2

            """.write(to: events, atomically: true, encoding: .utf8)
        let run = try NurtureCLI.run(["events", "ingest", events.path, "--db", db])
        #expect(run.stdout == "2 events read: 2 new, 0 already known; 0 rows skipped\n", "\(run.stdout) \(run.stderr)")
        let file = try StoreFile(db)
        #expect(try file.strings("SELECT lead_id FROM inbox ORDER BY id") == ["L-1", "L-2"])
        let enroll = try NurtureCLI.run(["enroll", "post-webinar", "--lead", "DANA.REYES@example.org", "--db", db,
                                                  "--definitions", PackageFolders.sequences.path])
        #expect(enroll.status == 0, "\(enroll.stderr)")
    }

    @Test("an event that arrives days late counts once, and does not inflate the points already earned")
    func lateEvent() async throws {
        let folder = try TemporaryFolder.make("nurture-late-event")
        defer { TemporaryFolder.remove(folder) }
        let definitions = try TestEnvironment.shippedDefinitions.get()
        let start = utc(2026, 3, 2, 12)
        let rig = try VirtualRig(folder: folder, definitions: definitions, relay: "smtp://127.0.0.1:\(try Ports.free())", start: start)
        let (priya, _) = LeadFile.load(path: SchedulerTimeTests.priyaFile)
        let lead = try #require(priya)
        _ = try rig.store.upsert([lead])
        let engine = Engine(definitions)
        func engagement(at instant: Date) throws -> Double {
            let state = try #require(try rig.store.lead(lead.id)?.1)
            return engine.facts(state, lead: lead, at: instant).engagement
        }

        try rig.event(.formFill, lead: lead.id, category: "live-tour")
        try await rig.scheduler.pass()
        rig.clock.advance(by: 10 * 86_400)
        try rig.event(.formFill, lead: lead.id, category: "demo-request")
        try await rig.scheduler.pass()
        let later = start.addingTimeInterval(11 * 86_400)
        let before = try engagement(at: later)

        // Day 11: the tracking system's export finally brings an open from day 5.
        rig.clock.advance(to: later)
        _ = try rig.store.append([InboxItem(
            id: "late-open", leadID: lead.id, at: start.addingTimeInterval(5 * 86_400),
            payload: .event(kind: "email_open", category: nil, sequence: nil, step: nil))])
        let pass = try await rig.scheduler.pass()
        #expect(pass.leads == 1)
        let after = try engagement(at: later)
        #expect(after > before, "the open counts")
        #expect(after - before <= 1 + 1e-9, "an open is worth one point; the score went from \(before) to \(after)")
    }
}
