import Foundation
import NurtureTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `nurture run` as a separate process, killed with SIGKILL at random moments over and over while
/// it works through 5,000 sends, then left to finish: nothing is lost, and the only duplicates are
/// messages that were in flight when a kill landed (at most one per connection per kill).
@Suite(.serialized, .timeLimit(.minutes(8)))
struct CrashTests {
    static let leadCount = 5_000
    static let minimumKills = 12
    static let maximumKills = 30
    static let connections = 4

    @Test(
        "kill -9 at random moments, restart, finish: every send arrives, duplicates only from sends in flight",
        .enabled(if: TestServers.runCaptureTests, "needs /usr/bin/python3 with aiosmtpd (always runs under CI=true)"))
    func killedAtRandomNothingIsLost() async throws {
        let binary = try NurtureCLI.path()
        let folder = try TemporaryFolder.make("nurture-crash")
        defer { TemporaryFolder.remove(folder) }
        let db = folder.appendingPathComponent("nurture.sqlite").path
        let workload = try BlastWorkload(count: Self.leadCount, db: db, folder: folder)

        let server = try CaptureServer()
        defer { server.stop() }
        // Short leases, so that what a killed process held is taken over within a second; small
        // batches, so that a life of 50-400 ms gets as far as sending and kills land mid-transfer.
        let arguments = [
            "run", "--db", db, "--relay", server.url, "--connections", String(Self.connections), "--definitions", workload.definitions,
            "--send-lease", "1", "--lead-lease", "1", "--lead-batch", "100", "--send-batch", "20",
        ]

        // At least `minimumKills`, and more (up to `maximumKills`) until some have landed while the
        // process was delivering: on a loaded machine a short life may not get that far.
        var kills: [RandomKill] = []
        while kills.count < Self.minimumKills || (kills.filter(\.landedWhileDelivering).count < 3 && kills.count < Self.maximumKills) {
            let child = try ChildProcess(name: "nurture run", executable: binary, arguments: arguments)
            let kill = try await RandomKill.kill(child, after: Int.random(in: 50...400), server: server)
            #expect(kill.wasRunning && kill.signalled, "it was killed, not exited")
            kills.append(kill)
        }
        let killedWhileDelivering = kills.filter(\.landedWhileDelivering).count
        #expect(killedWhileDelivering >= 1, "no kill landed while messages were going out: \(kills.map(\.arrivedAtKill))")

        // Now let it finish.
        let last = try ChildProcess(name: "nurture run", executable: binary, arguments: arguments)
        defer { last.stop() }
        let deadline = ContinuousClock.now + .seconds(120)
        var status = try QueueFigures.read(db: db)
        let file = try StoreFile(db)
        while ContinuousClock.now < deadline {
            status = try QueueFigures.read(db: db)
            if status.queued == 0, try file.count("SELECT COUNT(*) FROM send") == Self.leadCount { break }
            try #require(last.isRunning, "nurture run exited early: \(last.termination) \(last.errors)")
            try await Task.sleep(for: .milliseconds(300))
        }
        #expect(status.queued == 0, "the queue drained within two minutes")
        // The killed lives may have sent everything already: wait for this one to start.
        try await OwnThread.run { try last.waitForScheduler() }
        let asked = ContinuousClock.now
        last.signal(SIGTERM)
        #expect(last.wait(timeout: .seconds(20)), "SIGTERM stops it")
        let stopTime = ContinuousClock.now - asked
        #expect(last.termination.status == 0 && !last.termination.signalled, "a clean exit: \(last.termination) \(last.errors)")
        #expect(last.errors.contains("scheduler stopped"))
        let rescued = kills.reduce(0) { $0 + $1.rescued } + RandomKill.rescued(in: last.errors)

        // What arrived.
        let tally = DeliveryTally(try server.messages())
        print("""
            crash test: \(kills.count) kills, \(kills.map { "\($0.delay)ms" }.joined(separator: ", ")) after the scheduler started, \
            \(killedWhileDelivering) of them while it was delivering; messages captured at each kill: \(kills.map(\.arrivedAtKill)); \
            \(tally.messages.count) messages, \(tally.distinct.count) distinct Message-IDs, \(tally.duplicates) duplicates \
            (bound \(kills.count * Self.connections)); \(rescued) sends rescued from expired leases; \
            stopped \(stopTime) after SIGTERM
            """)
        #expect(tally.missingIDs == 0, "every captured message has a Message-ID")
        #expect(tally.distinct.count == Self.leadCount, "every send arrived at least once")
        #expect(tally.missing(from: workload.addresses).isEmpty, "\(tally.missing(from: workload.addresses).count) addresses got nothing")
        #expect(Set(tally.recipients).count == Self.leadCount)
        #expect(tally.duplicates <= kills.count * Self.connections, "only sends in flight can be repeated")
        #expect(tally.idsWithSeveralRecipients == 0, "a duplicate is the same message to the same recipient")

        // The store agrees.
        #expect(try file.count("SELECT COUNT(*) FROM send WHERE status = 'sent'") == Self.leadCount)
        #expect(try file.count("SELECT COUNT(DISTINCT message_id) FROM send WHERE status = 'sent'") == Self.leadCount)
        #expect(Set(try file.strings("SELECT message_id FROM send")) == tally.distinct)
        #expect(try file.count("SELECT COUNT(*) FROM inbox WHERE processed = 0") == 0)
        #expect(try file.count("SELECT COUNT(*) FROM lead WHERE lease_until IS NOT NULL") == 0)
        #expect(status.failed == 0 && status.leads == Self.leadCount)
    }

    static let handOffCount = 1_000

    @Test(
        "kill -9 while hand-off emails go out to reps, restart, finish: every hand-off email arrives at least once",
        .enabled(if: TestServers.runCaptureTests, "needs /usr/bin/python3 with aiosmtpd (always runs under CI=true)"))
    func killedWhileHandingOffNothingIsLost() async throws {
        let binary = try NurtureCLI.path()
        let folder = try TemporaryFolder.make("nurture-crash-handoffs")
        defer { TemporaryFolder.remove(folder) }
        let definitions = try TestEnvironment.makeDefinitions(in: folder).path
        let db = folder.appendingPathComponent("nurture.sqlite").path

        // 1,000 grade-A leads owned by two reps, each with a demo visit, a pricing visit and a
        // pricing click: over the MQL line (score >= 80 and fit A) as soon as the engine sees them.
        var leads = "id,email,first_name,last_name,company,title,company_size,industry,time_zone,stage,owner_name,owner_email\n"
        var events = "at,type,category,step,lead,id\n"
        let owners = [("Hannah Lee", "hannah.lee@example.com"), ("Marcus Webb", "marcus.webb@example.com")]
        // Minutes ago: the hand-offs' answer deadlines are all ahead, so none expires during the test.
        let formatter = ISO8601DateFormatter()
        let recently = (1...3).map { formatter.string(from: Date().addingTimeInterval(Double($0 - 10) * 60)) }
        for index in 0..<Self.handOffCount {
            let id = String(format: "H-%04d", index), owner = owners[index % 2]
            leads += "\(id),\(id.lowercased())@prospect.example,Sam,Lee\(index),Prospect \(index),VP Revenue Operations,800,software,UTC,lead,\(owner.0),\(owner.1)\n"
            for (minute, type, category) in [(0, "page_visit", "demo"), (1, "page_visit", "pricing"), (2, "email_click", "pricing")] {
                events += "\(recently[minute]),\(type),\(category),,\(id),\(id)-\(minute)\n"
            }
        }
        let leadsFile = folder.appendingPathComponent("leads.csv"), eventsFile = folder.appendingPathComponent("events.csv")
        try leads.write(to: leadsFile, atomically: true, encoding: .utf8)
        try events.write(to: eventsFile, atomically: true, encoding: .utf8)
        #expect(try NurtureCLI.run(["leads", "import", leadsFile.path, "--db", db]).status == 0)
        let ingested = try NurtureCLI.run(["events", "ingest", eventsFile.path, "--db", db])
        #expect(ingested.status == 0, "\(ingested.stderr)")

        let server = try CaptureServer()
        defer { server.stop() }
        let arguments = [
            "run", "--db", db, "--relay", server.url, "--connections", String(Self.connections), "--definitions", definitions,
            "--send-lease", "1", "--lead-lease", "1", "--lead-batch", "100", "--send-batch", "20",
        ]
        // Each life is killed a few milliseconds after its first hand-off email arrives, so that
        // every kill lands while emails are going out, however loaded the machine is.
        var kills = 0, killedWhileDelivering = 0
        while kills < Self.minimumKills, server.count() < Self.handOffCount {
            let child = try ChildProcess(name: "nurture run", executable: binary, arguments: arguments)
            let kill = try await RandomKill.kill(child, after: Int.random(in: 0...40), server: server, onceDelivering: true)
            kills += 1
            if kill.landedWhileDelivering { killedWhileDelivering += 1 }
        }
        #expect(killedWhileDelivering >= 3, "kills landed while hand-off emails were going out: \(killedWhileDelivering) of \(kills)")

        let last = try ChildProcess(name: "nurture run", executable: binary, arguments: arguments)
        defer { last.stop() }
        let file = try StoreFile(db)
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            let handOffs = try file.count("SELECT COUNT(*) FROM hand_off")
            let waiting = try file.count("SELECT COUNT(*) FROM notice WHERE status IN ('pending', 'sending')")
            if handOffs == Self.handOffCount, waiting == 0 { break }
            try #require(last.isRunning, "nurture run exited early: \(last.termination) \(last.errors)")
            try await Task.sleep(for: .milliseconds(300))
        }
        last.signal(SIGTERM)
        #expect(last.wait(timeout: .seconds(20)), "SIGTERM stops it")

        // Each lead handed off once, each hand-off's email at least once, to its own rep.
        #expect(try file.count("SELECT COUNT(*) FROM hand_off") == Self.handOffCount)
        #expect(try file.count("SELECT COUNT(DISTINCT lead_id) FROM hand_off") == Self.handOffCount)
        #expect(try file.count("SELECT COUNT(*) FROM notice WHERE kind = 'hand_off' AND status = 'sent'") == Self.handOffCount)
        let messages = try server.messages().filter { $0.header("Subject")?.hasPrefix("Hand-off #") ?? false }
        let subjects = Set(messages.compactMap { $0.header("Subject") })
        let distinct = Set(messages.compactMap(\.messageID))
        #expect(distinct.count == Self.handOffCount && subjects.count == Self.handOffCount, "every hand-off email arrived")
        #expect(messages.count - distinct.count <= kills * Self.connections, "only emails in flight can be repeated")
        for message in messages {
            // "Hand-off #12: Sam Lee7 at Prospect 7 (...)": lead 7 belongs to owners[7 % 2].
            let name = message.header("Subject")?.split(separator: " ").first { $0.hasPrefix("Lee") } ?? ""
            let index = Int(name.dropFirst(3)) ?? -1
            #expect(index >= 0 && message.recipient == owners[index % 2].1, "\(message.header("Subject") ?? "") went to \(message.recipient ?? "")")
        }
    }
}
