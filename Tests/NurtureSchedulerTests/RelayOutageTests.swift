import Foundation
import NurtureCore
import NurtureScheduler
import NurtureStore
import NurtureTestSupport
import Testing

/// The relay is down for hours: the scheduler keeps the sends, backs off, respects the send window
/// while it waits, and drains the backlog when the relay comes back, on the same port.
@Suite(.timeLimit(.minutes(8)))
struct RelayOutageTests {
    /// Leads for the `morning` fixture sequence (weekdays 09:00-12:00 UTC).
    static func leads(_ count: Int, prefix: String) -> [Lead] {
        (1...count).map { number in
            Lead(id: "\(prefix)-\(number)", email: "\(prefix.lowercased())\(number)@example.org", timeZone: TimeZone(identifier: "UTC"),
                 stage: "lead", attributes: ["first_name": "Reader \(number)"])
        }
    }

    static func fixtureDefinitions(in folder: URL) throws -> DefinitionSet {
        try TestEnvironment.loadDefinitions(try TestEnvironment.makeDefinitions(in: folder).path).get()
    }

    @Test(
        "relay down: transient failures back off, nothing goes out while the window is closed, the backlog drains at the next opening",
        .enabled(if: TestServers.runCaptureTests, "needs /usr/bin/python3 with aiosmtpd (always runs under CI=true)"))
    func outageThenRecovery() async throws {
        let folder = try TemporaryFolder.make("nurture-outage")
        defer { TemporaryFolder.remove(folder) }
        let definitions = try Self.fixtureDefinitions(in: folder)
        // Held, so that the relay stays down whatever other tests start meanwhile.
        let down = try RefusedPort()
        let port = down.port
        #expect(!Ports.accepts(port))
        let monday = utc(2026, 3, 2, 9)          // Monday, the window opens
        let closes = utc(2026, 3, 2, 12)
        let relayBack = utc(2026, 3, 2, 14, 30)  // the window is closed by then
        let tuesday = utc(2026, 3, 3, 9)
        let rig = try VirtualRig(folder: folder, definitions: definitions, relay: "smtp://127.0.0.1:\(port)", start: monday)
        let file = try rig.file()
        let leads = Self.leads(12, prefix: "O")
        _ = try rig.store.upsert(leads)
        try rig.enroll(leads.map(\.id), in: "morning")

        // The outage: every attempt fails to connect and is put back with a growing delay.
        var attempts: [String: [(at: Date, attempt: Int, retryAt: Date)]] = [:]
        var seen: [String: Int] = [:]
        let outage = try await rig.drive(until: relayBack) { summary in
            #expect(summary.sent == 0 && summary.failed == 0)
            for send in try file.sends() where send.attempts != seen[send.key] {
                seen[send.key] = send.attempts
                if send.status == "pending", send.lastCode == 0, send.nextAttemptAt > rig.clock.now() {
                    attempts[send.key, default: []].append((rig.clock.now(), send.attempts, send.nextAttemptAt))
                }
            }
        }
        #expect(outage.reduce(0) { $0 + $1.retried } >= 12 * 5, "\(outage)")
        #expect(outage.reduce(0) { $0 + $1.deferred } >= 1, "some retry fell after the window closed and was deferred")
        let pending = try file.sends()
        #expect(pending.count == 12)
        for send in pending {
            #expect(send.status == "pending")
            #expect(send.lastText?.localizedCaseInsensitiveContains("connect") == true || send.lastText == "outside the send window",
                    "\(send.lastText ?? "")")
            // Backoff: 5 minutes, doubling, each within ±20%.
            let series = attempts[send.key] ?? []
            #expect(series.count >= 5, "\(send.key): \(series.count) failed attempts recorded")
            for entry in series {
                let nominal = min(6 * 3600, 300 * pow(2, Double(entry.attempt - 1)))
                let delay = entry.retryAt.timeIntervalSince(entry.at)
                #expect(delay >= nominal * 0.8 - 1 && delay <= nominal * 1.2 + 1, "attempt \(entry.attempt): waited \(delay)s")
            }
            #expect(zip(series, series.dropFirst()).allSatisfy { $0.attempt < $1.attempt })
            // Every attempt was made inside the window.
            #expect(series.allSatisfy { $0.at >= monday && $0.at < closes })
            // What waits now waits for the next opening.
            #expect(send.nextAttemptAt <= tuesday)
        }
        #expect(try file.count("SELECT COUNT(*) FROM audit WHERE entry LIKE '%outside the send window%'") >= 1)

        // The relay comes back on the same port while the window is closed: nothing is sent yet.
        down.release()
        let server = try CaptureServer(port: port)
        defer { server.stop() }
        for probe in [relayBack, utc(2026, 3, 2, 16), utc(2026, 3, 2, 23, 59), utc(2026, 3, 3, 8, 59)] {
            rig.clock.advance(to: probe)
            let summary = try await rig.scheduler.pass()
            #expect(summary.sent == 0, "a pass at \(probe) sent while the window was closed")
        }
        #expect(server.count() == 0)
        let waiting = try file.sends()
        #expect(waiting.allSatisfy { $0.nextAttemptAt == tuesday }, "\(waiting.map(\.nextAttemptAt))")

        // Tuesday 09:00: the backlog drains, each email once.
        try await rig.drive(until: utc(2026, 3, 3, 12))
        let messages = try server.messages()
        #expect(messages.count == 12)
        #expect(Set(messages.compactMap(\.messageID)).count == 12)
        #expect(Set(messages.compactMap(\.recipient)) == Set(leads.map(\.email)))
        for message in messages {
            let date = try #require(message.date)
            #expect(date == tuesday, "sent at \(date)")
        }
        let sent = try file.sends()
        #expect(sent.allSatisfy { $0.status == "sent" })
        // The deferrals did not count as attempts: the failed ones plus the one that worked.
        for send in sent {
            #expect(send.attempts == (attempts[send.key]?.count ?? 0) + 1, "\(send.key): \(send.attempts) attempts")
        }
        #expect(try rig.store.nextDue() == nil)
    }

    @Test("a send is given up after its lifetime and marked failed")
    func givenUpAfterLifetime() async throws {
        let folder = try TemporaryFolder.make("nurture-lifetime")
        defer { TemporaryFolder.remove(folder) }
        let definitions = try Self.fixtureDefinitions(in: folder)
        let down = try RefusedPort()
        defer { down.release() }
        let start = utc(2026, 3, 2, 8)
        let rig = try VirtualRig(folder: folder, definitions: definitions, relay: "smtp://127.0.0.1:\(down.port)", start: start) {
            $0.retry.lifetime = 12 * 3600
        }
        let file = try rig.file()
        let lead = Self.leads(1, prefix: "G")[0]
        _ = try rig.store.upsert([lead])
        try rig.enroll([lead.id], in: "blast")
        let summaries = try await rig.drive(until: start.addingTimeInterval(3 * 86_400))
        #expect(summaries.reduce(0) { $0 + $1.failed } == 1)
        let send = try #require(try file.sends().first)
        #expect(send.status == "failed")
        #expect(send.lastText?.hasPrefix("gave up after \(send.attempts) attempts") == true, "\(send.lastText ?? "")")
        let finished = try #require(send.finishedAt)
        #expect(finished.timeIntervalSince(start) >= 12 * 3600 && finished.timeIntervalSince(start) < 24 * 3600)
        #expect(try file.count("SELECT COUNT(*) FROM suppression") == 0, "a relay outage suppresses nobody")
    }
}
