import Foundation
import NurtureSMTP
import NurtureTestSupport
import Synchronization
import Testing

/// The scheduler's retry decisions, with its messages handed to a transport in process: what a
/// transient failure does to a send, without a relay to take down and bring back.
@Suite
struct RetryInProcessTests {
    /// Answers each message with the next scripted result (then `delivered`), and keeps what it was handed.
    final class ScriptedTransport: MailTransport {
        let rateLimit = RateLimit.unlimited
        private let state: Mutex<(script: [DeliveryResult.Outcome], handed: [OutgoingMessage])>

        init(_ script: [DeliveryResult.Outcome]) { state = Mutex((script, [])) }

        var handed: [OutgoingMessage] { state.withLock { $0.handed } }

        func send(_ messages: [OutgoingMessage], onResult: @escaping @Sendable (Int, DeliveryResult) -> Void) async -> [DeliveryResult] {
            let results = messages.map { message in
                state.withLock { state in
                    state.handed.append(message)
                    let outcome = state.script.isEmpty ? .delivered : state.script.removeFirst()
                    return DeliveryResult(
                        outcome: outcome, stage: outcome == .delivered ? .done : .rcptTo, code: outcome == .delivered ? 250 : 451,
                        text: outcome == .delivered ? "2.0.0 queued" : "4.2.0 try later")
                }
            }
            for (index, result) in results.enumerated() { onResult(index, result) }
            return results
        }
    }

    @Test func aTransientFailureIsRetriedAfterItsBackoffWithTheSameMessageID() async throws {
        let folder = try TemporaryFolder.make("nurture-retry")
        defer { TemporaryFolder.remove(folder) }
        let definitions = try TestEnvironment.loadDefinitions(try TestEnvironment.makeDefinitions(in: folder).path).get()
        let transport = ScriptedTransport([.transient])
        let monday = utc(2026, 3, 2, 9)
        let rig = try VirtualRig(folder: folder, definitions: definitions, transport: transport, start: monday)
        let lead = RelayOutageTests.leads(1, prefix: "R")[0]
        _ = try rig.store.upsert([lead])
        try rig.enroll([lead.id], in: "blast")

        let first = try await rig.scheduler.pass()
        #expect(first.retried == 1 && first.sent == 0, "\(first)")
        let waiting = try #require(try rig.file().sends().first)
        #expect(waiting.status == "pending" && waiting.attempts == 1 && waiting.nextAttemptAt > monday)

        // Nothing goes before the backoff has passed; then the same message goes again.
        #expect(try await rig.scheduler.pass().sent == 0)
        rig.clock.advance(to: waiting.nextAttemptAt)
        let second = try await rig.scheduler.pass()
        #expect(second.sent == 1, "\(second)")
        let sent = try #require(try rig.file().sends().first)
        #expect(sent.status == "sent" && sent.attempts == 2)
        #expect(transport.handed.count == 2)
        let ids = transport.handed.map { message in
            String(decoding: message.bytes, as: UTF8.self).split(separator: "\r\n").first { $0.hasPrefix("Message-ID:") }
        }
        #expect(ids[0] != nil && ids[0] == ids[1], "a retry keeps its Message-ID: \(ids)")
    }
}
