import Foundation
import NurtureCore
import NurtureDefinitions
import NurtureScheduler
import NurtureStore
import NurtureTestSupport
import Synchronization
import Testing

/// Weeks of the shipped post-webinar sequence on a virtual clock: a real SQLite store, the real
/// scheduler and a real (capturing) relay, with the clock moved straight to each instant the store
/// says something is due.
@Suite(.timeLimit(.minutes(8)))
struct SchedulerTimeTests {
    static let backtestLeads = PackageFolders.root.appendingPathComponent("examples/backtest/leads.csv").path
    static let priyaFile = PackageFolders.root.appendingPathComponent("examples/leads/priya-natarajan.yml").path
    /// Monday 2 March 2026, 07:00 UTC: before the window opens anywhere west of India.
    static let start = utc(2026, 3, 2, 7)

    static func leads() throws -> [Lead] {
        let (table, diagnostics) = LeadTable.load(path: backtestLeads)
        #expect(!diagnostics.hasErrors, "\(diagnostics.sorted.map(\.description))")
        let (priya, priyaDiagnostics) = LeadFile.load(path: priyaFile)
        let lead = try #require(priya, "\(priyaDiagnostics.sorted.map(\.description))")
        return table + [lead]
    }

    /// Whether `date` is inside post-webinar's window (Monday to Thursday, 09:00-16:00) on the
    /// lead's own wall clock, computed independently of `SendWindow`.
    static func insideWindow(_ date: Date, zone: TimeZone) -> Bool {
        let local = TestEnvironment.localTime(date, in: zone)
        return (2...5).contains(local.weekday) && local.seconds >= 9 * 3600 && local.seconds < 16 * 3600
    }

    @Test(
        "weeks of post-webinar: every email arrives once, in order, inside the lead's window; a reply ends it; a hot lead is handed off",
        .enabled(if: TestServers.runCaptureTests, "needs /usr/bin/python3 with aiosmtpd (always runs under CI=true)"))
    func postWebinarOnAVirtualClock() async throws {
        let definitions = try TestEnvironment.shippedDefinitions.get()
        let sequence = try #require(definitions.sequences["post-webinar"])
        let folder = try TemporaryFolder.make("nurture-time")
        defer { TemporaryFolder.remove(folder) }
        let server = try CaptureServer()
        defer { server.stop() }
        let rig = try VirtualRig(folder: folder, definitions: definitions, relay: server.url, start: Self.start)
        let file = try rig.file()

        let leads = try Self.leads()
        #expect(leads.count == 31)
        #expect(try rig.store.upsert(leads) == 31)
        #expect(try rig.enroll(leads.map(\.id), in: "post-webinar") == 31)
        let byID = Dictionary(uniqueKeysWithValues: leads.map { ($0.id, $0) })
        let byEmail = Dictionary(uniqueKeysWithValues: leads.map { ($0.email.lowercased(), $0) })

        // Ben replies once the customer story has reached him; Priya engages hard after the recording.
        let replier = "L-3101", champion = "L-20418"
        var repliedAt: Date?, engagedAt: Date?
        let eventsFile = folder.appendingPathComponent("reply.csv")
        let summaries = try await rig.drive(until: Self.start.addingTimeInterval(45 * 86_400)) { _ in
            let now = rig.clock.now()
            if repliedAt == nil,
               try file.count("SELECT COUNT(*) FROM send WHERE lead_id = ? AND step = 'case-study' AND status = 'sent'", [replier]) == 1 {
                // Ingested with the command line, into the store the scheduler is using.
                try "at,type,category,step,lead,id\n\(TestEnvironment.iso(now)),reply,,case-study,ben.okafor@example.org,evt-reply-1\n"
                    .write(to: eventsFile, atomically: true, encoding: .utf8)
                let run = try NurtureCLI.run(["events", "ingest", eventsFile.path, "--db", rig.dbPath])
                #expect(run.status == 0, "\(run.stderr)")
                #expect(run.stdout.contains("1 event read: 1 new, 0 already known; 0 rows skipped"), "\(run.stdout)")
                repliedAt = now
            }
            if engagedAt == nil,
               try file.count("SELECT COUNT(*) FROM send WHERE lead_id = ? AND step = 'recording' AND status = 'sent'", [champion]) == 1 {
                try rig.event(.emailClick, lead: champion, category: "pricing")
                try rig.event(.pageVisit, lead: champion, category: "demo")
                try rig.event(.formFill, lead: champion, category: "live-tour")
                engagedAt = now
            }
        }
        #expect(summaries.count > 20, "the weeks took \(summaries.count) passes")
        #expect(summaries.allSatisfy { $0.failed == 0 && $0.retried == 0 }, "\(summaries.filter { $0.failed + $0.retried > 0 })")
        let replied = try #require(repliedAt, "Ben never got the case study")
        let engaged = try #require(engagedAt, "Priya never got the recording")
        #expect(try rig.store.nextDue() == nil, "everything has finished: nothing is due any more")

        // What arrived for the leads, matched to the outbox by Message-ID; the rest went to reps.
        let reps = Set(try file.strings("SELECT DISTINCT lower(rep_email) FROM notice"))
        let messages = try server.messages().filter { !reps.contains($0.recipient?.lowercased() ?? "") }
        #expect(try server.messages().count - messages.count == file.count("SELECT COUNT(*) FROM notice WHERE status = 'sent'"))
        let sent = try file.sends("status = 'sent'")
        let sentByMessageID = Dictionary(uniqueKeysWithValues: sent.compactMap { row in row.messageID.map { ($0, row) } })
        #expect(Set(messages.compactMap(\.messageID)).count == messages.count, "no message arrives twice")
        #expect(messages.count == sent.count)
        #expect(try file.count("SELECT COUNT(*) FROM send WHERE status <> 'sent'") == 0, "nothing failed, waits or was cancelled")

        var arrived: [String: [(step: String, date: Date)]] = [:]
        for message in messages {
            let id = try #require(message.messageID)
            let row = try #require(sentByMessageID[id], "\(id) is not in the outbox")
            let lead = try #require(byID[row.leadID])
            #expect(message.recipient?.lowercased() == lead.email.lowercased())
            #expect(byEmail[message.recipient?.lowercased() ?? ""]?.id == lead.id)
            let date = try #require(message.date, "\(message.file.lastPathComponent) has no readable Date")
            let zone = lead.timeZone ?? sequence.sendWindow.timeZone
            #expect(Self.insideWindow(date, zone: zone), "\(lead.id) got \(row.step) at \(date) (\(zone.identifier)), outside Mon-Thu 09:00-16:00")
            #expect(abs(date.timeIntervalSince(try #require(row.finishedAt))) < 1, "the Date header is the scheduler's clock at sending")
            arrived[lead.id, default: []].append((row.step, date))
        }

        let engine = Engine(definitions)
        var branches = Set<String>()
        for lead in leads {
            let got = arrived[lead.id] ?? []
            #expect(zip(got, got.dropFirst()).allSatisfy { $0.date < $1.date }, "\(lead.id)'s emails arrive in order")
            let expected: [String]
            switch lead.id {
            case replier: expected = ["recording", "case-study"]
            case champion: expected = ["recording"]
            default:
                let grade = engine.start(lead, at: Self.start).grade
                let third = ["A", "B"].contains(grade) ? "roi-model" : "data-checklist"
                branches.insert(third)
                expected = ["recording", "case-study", third, "office-hours"]
            }
            #expect(got.map(\.step) == expected, "\(lead.id)")
            if got.count >= 2 {
                #expect(got[1].date.timeIntervalSince(got[0].date) >= 2 * 86_400 - 3600, "\(lead.id): the case study waits two days")
            }
            if got.count == 4 {
                #expect(got[3].date.timeIntervalSince(got[2].date) >= 5 * 86_400 - 3600, "\(lead.id): office hours wait five days")
            }
        }
        #expect(branches == ["roi-model", "data-checklist"], "both branches of the fit check were taken")

        // The reply ended Ben's enrollment; nothing reached him after it.
        let ben = try #require(try rig.store.lead(replier)?.1)
        #expect(ben.enrollments.last?.status == .exited(.event(.reply)))
        #expect((arrived[replier] ?? []).allSatisfy { $0.date <= replied })
        #expect(try file.count("SELECT COUNT(*) FROM inbox WHERE id = 'evt-reply-1' AND processed = 1") == 1)

        // Priya crossed the MQL line: handed off once, her emails stopped.
        let priya = try #require(try rig.store.lead(champion)?.1)
        #expect(priya.stage == "mql")
        #expect(priya.enrollments.last?.status == .handedOff, "\(String(describing: priya.enrollments.last))")
        // Nobody answered it: past its 8 business hours it expired and went to the SDR queue, where
        // it expired too (the queue's hand-offs are not sent round again).
        let handOffs = try file.rows("SELECT lead_id, sequence, reason, rep_email, score, grade, at, status FROM hand_off ORDER BY id")
        #expect(handOffs.count == 2, "\(handOffs)")
        #expect(handOffs.map { $0["status"] as String } == ["expired", "expired"])
        #expect(handOffs.last?["rep_email"] as String? == "sdr-queue@example.com")
        if let handOff = handOffs.first {
            #expect(handOff["lead_id"] as String == champion)
            #expect(handOff["grade"] as String == "A")
            #expect((handOff["score"] as Double) >= 80)
            #expect(handOff["rep_email"] as String? == "hannah.lindqvist@example.com")
            #expect(abs(Date(timeIntervalSince1970: handOff["at"] as Double).timeIntervalSince(engaged)) < 1)
        }
        #expect((arrived[champion] ?? []).allSatisfy { $0.date <= engaged })
    }

    @Test(
        "run() on the virtual clock sleeps from one due instant to the next until stop()",
        .enabled(if: TestServers.runCaptureTests, "needs /usr/bin/python3 with aiosmtpd (always runs under CI=true)"))
    func runAndStopOnAVirtualClock() async throws {
        let definitions = try TestEnvironment.shippedDefinitions.get()
        let folder = try TemporaryFolder.make("nurture-run-virtual")
        defer { TemporaryFolder.remove(folder) }
        let server = try CaptureServer()
        defer { server.stop() }
        // Long idle sleeps: the clock jumps from one wake-up to the next instead of ticking.
        let rig = try VirtualRig(folder: folder, definitions: definitions, relay: server.url, start: Self.start) {
            $0.idlePoll = 86_400
        }
        let lead = try #require(try Self.leads().first { $0.id == "L-3100" })
        _ = try rig.store.upsert([lead])
        try rig.enroll([lead.id], in: "post-webinar")

        let end = Self.start.addingTimeInterval(30 * 86_400)
        let scheduler = rig.scheduler
        let sleeps = SleepLog()
        rig.clock.onSleep { now in
            sleeps.add(now)
            if now >= end { scheduler.stop() }
        }
        try await scheduler.run()
        #expect(scheduler.isStopping)
        #expect(rig.clock.now() >= end)
        #expect(sleeps.count < 200, "the loop slept \(sleeps.count) times: it must jump to what is due")

        let steps = try rig.file().sends("status = 'sent'").map(\.step)
        #expect(steps == ["recording", "case-study", "data-checklist", "office-hours"] || steps == ["recording", "case-study", "roi-model", "office-hours"], "\(steps)")
        #expect(server.count() == 4)
        let state = try #require(try rig.store.lead(lead.id)?.1)
        #expect(state.enrollments.last?.status == .completed)
    }
}

/// Counts the scheduler's sleeps.
final class SleepLog: Sendable {
    private let dates = Mutex<[Date]>([])
    func add(_ date: Date) { dates.withLock { $0.append(date) } }
    var count: Int { dates.withLock { $0.count } }
}
