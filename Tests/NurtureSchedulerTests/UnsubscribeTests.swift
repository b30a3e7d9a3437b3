import Foundation
import NurtureCore
import NurtureScheduler
import NurtureStore
import NurtureTestSupport
import Testing

/// An unsubscribe that arrives while an email to the address is already in the outbox.
@Suite(.timeLimit(.minutes(8)))
struct UnsubscribeTests {
    /// The Monday 09:00 UTC at least a day from now, so that requests the command line stamps with
    /// the real time are already due on the virtual clock.
    static func nextMonday() -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let next = calendar.nextDate(
            after: Date().addingTimeInterval(86_400), matching: DateComponents(hour: 9, minute: 0, second: 0, weekday: 2),
            matchingPolicy: .nextTime)!
        return next
    }

    @Test(
        "an unsubscribe ingested while a send is queued: the next pass applies it first, the send is cancelled, later enrollments are refused",
        .enabled(if: TestServers.runCaptureTests, "needs /usr/bin/python3 with aiosmtpd (always runs under CI=true)"))
    func unsubscribeWhileQueued() async throws {
        let folder = try TemporaryFolder.make("nurture-unsubscribe")
        defer { TemporaryFolder.remove(folder) }
        let definitionsFolder = try TestEnvironment.makeDefinitions(in: folder)
        let definitions = try TestEnvironment.loadDefinitions(definitionsFolder.path).get()
        let port = try Ports.free()
        let monday = Self.nextMonday()
        let rig = try VirtualRig(folder: folder, definitions: definitions, relay: "smtp://127.0.0.1:\(port)", start: monday)
        let file = try rig.file()
        let leads = RelayOutageTests.leads(2, prefix: "U")
        let (leaving, staying) = (leads[0], leads[1])
        _ = try rig.store.upsert(leads)
        try rig.enroll(leads.map(\.id), in: "morning")

        // Both emails are queued; the relay is down, so they wait in the outbox for a retry.
        let first = try await rig.scheduler.pass()
        #expect(first.queued == 2 && first.retried == 2, "\(first)")
        let queued = try file.sends()
        #expect(queued.count == 2 && queued.allSatisfy { $0.status == "pending" })
        let retryAt = try #require(queued.map(\.nextAttemptAt).max())

        // A minute later the unsubscribe comes in, through the command line.
        rig.clock.advance(by: 60)
        let events = folder.appendingPathComponent("unsubscribe.csv")
        try "at,type,category,step,lead,id\n\(TestEnvironment.iso(rig.clock.now())),unsubscribe,,,\(leaving.email),evt-unsub-1\n"
            .write(to: events, atomically: true, encoding: .utf8)
        let ingest = try NurtureCLI.run(["events", "ingest", events.path, "--db", rig.dbPath])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(ingest.stdout.contains("1 event read: 1 new"), "\(ingest.stdout)")
        #expect(try file.count("SELECT COUNT(*) FROM suppression") == 0, "nothing is suppressed until the scheduler applies the event")

        // The relay is back; the next pass comes when the retries are due. It runs the lead (the
        // unsubscribe) before it delivers, so one email goes and the other is cancelled.
        let server = try CaptureServer(port: port)
        defer { server.stop() }
        rig.clock.advance(to: retryAt)
        let pass = try await rig.scheduler.pass()
        #expect(pass.leads == 1 && pass.sent == 1 && pass.cancelled == 1, "\(pass)")
        let messages = try server.messages()
        #expect(messages.map(\.recipient) == [staying.email])
        let cancelled = try #require(try file.sends("lead_id = ?", [leaving.id]).first)
        #expect(cancelled.status == "cancelled")
        #expect(cancelled.lastText == "address suppressed")
        let suppression = try file.rows("SELECT email, reason FROM suppression")
        #expect(suppression.count == 1)
        #expect(suppression.first?["email"] as String? == leaving.email)
        #expect(suppression.first?["reason"] as String? == "unsubscribe")
        let state = try #require(try rig.store.lead(leaving.id)?.1)
        #expect(state.suppression == .unsubscribe)

        // Nothing more ever reaches the address, and new enrollments are refused: one through the
        // store, one through the command line.
        rig.clock.advance(by: 86_400)
        try rig.enroll([leaving.id, staying.id], in: "morning", tag: "again|")
        let enroll = try NurtureCLI.run([
            "enroll", "blast", "--lead", leaving.email, "--db", rig.dbPath, "--definitions", definitionsFolder.path,
        ])
        #expect(enroll.status == 0, "\(enroll.stderr)")
        #expect(enroll.stdout.contains("1 enrollment request for blast"), "\(enroll.stdout)")
        try await rig.drive(until: rig.clock.now().addingTimeInterval(7 * 86_400))
        let later = try #require(try rig.store.lead(leaving.id)?.1)
        #expect(later.enrollments.count == 1, "\(later.enrollments)")
        let audit = try file.audit(lead: leaving.id)
        #expect(audit.contains("not enrolled in morning: address suppressed (unsubscribe)"), "\(audit)")
        #expect(audit.contains("not enrolled in blast: address suppressed (unsubscribe)"), "\(audit)")
        #expect(try file.count("SELECT COUNT(*) FROM send WHERE lead_id = ?", [leaving.id]) == 1)
        // The other lead, re-enrolled, got its second morning note.
        #expect(try server.messages().map(\.recipient) == [staying.email, staying.email])
    }
}
