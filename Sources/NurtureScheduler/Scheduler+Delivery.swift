import Foundation
import NurtureMail
import NurtureSMTP
import NurtureStore
import Synchronization

/// Delivery of the sends a pass has claimed, as a pipeline: checking and rendering (the costly
/// part) is spread over the cores a chunk at a time, and each chunk goes to the relay while the
/// next is being rendered. Every result is recorded the moment the relay answers, in a transaction
/// shared with the results that came back meanwhile (`OutcomeCommit`).
extension Scheduler {
    /// Sends checked and rendered before the first of them goes to the relay; the later chunks
    /// are rendered while the one before is on the wire.
    static let deliveryChunk = 48

    /// What the relay's answers added up to, filled in from the connections' threads.
    final class DeliveryTally: Sendable {
        let summary = Mutex(PassSummary())
        let stoppedBy = Mutex<DeliveryResult?>(nil)
    }

    func deliver(_ claimed: [QueuedSend], now: Date, into summary: inout PassSummary) async throws {
        let tally = DeliveryTally()
        var skipped = PassSummary()
        try await withThrowingTaskGroup(of: Void.self) { group in
            var onTheWire = false
            for start in stride(from: 0, to: claimed.count, by: Self.deliveryChunk) {
                let chunk = Array(claimed[start..<min(claimed.count, start + Self.deliveryChunk)])
                let preparations = try await prepareAll(chunk, now: now)
                var ready: [(send: QueuedSend, email: RenderedEmail)] = []
                var skips: [OutcomeRecord] = []
                for (send, preparation) in zip(chunk, preparations) {
                    switch preparation {
                    case let .ready(email): ready.append((send, email))
                    case let .skip(outcome):
                        skips.append(OutcomeRecord(key: send.key, outcome: outcome))
                        skipped.count(outcome)
                    }
                }
                // The chunk's sends that will not go out, in one transaction.
                try store.record(skips, now: now)
                // One chunk on the wire at a time (all the connections share it), one being rendered.
                if onTheWire {
                    _ = try await group.next()
                    onTheWire = false
                }
                guard !ready.isEmpty else { continue }
                let prepared = ready
                group.addTask { await self.send(prepared, tally: tally) }
                onTheWire = true
            }
            try await group.waitForAll()
        }
        summary.add(skipped)
        summary.add(tally.summary.withLock { $0 })
        if let result = tally.stoppedBy.withLock({ $0 }) {
            logger.critical("sending stopped: \(result)")
            throw ConfigurationError(result: result)
        }
    }

    /// `prepare` for each send, in order, on every core; each core reads its sends' leads in one go.
    func prepareAll(_ sends: [QueuedSend], now: Date) async throws -> [Preparation] {
        let lanes = min(sends.count, ProcessInfo.processInfo.activeProcessorCount)
        guard lanes > 1 else { return try prepare(sends, now: now) }
        let perLane = (sends.count + lanes - 1) / lanes
        return try await withThrowingTaskGroup(of: (Int, [Preparation]).self) { group in
            for lane in 0..<lanes {
                let part = Array(sends[min(sends.count, lane * perLane)..<min(sends.count, (lane + 1) * perLane)])
                group.addTask { (lane, try self.prepare(part, now: now)) }
            }
            var parts = [[Preparation]](repeating: [], count: lanes)
            for try await (lane, part) in group { parts[lane] = part }
            return parts.flatMap { $0 }
        }
    }

    func prepare(_ sends: [QueuedSend], now: Date) throws -> [Preparation] {
        let leads = try store.leadsForSending(sends.map(\.leadID))
        return sends.map { prepare($0, lead: leads[$0.leadID], now: now) }
    }

    /// Hands rendered emails to the sender, and records each result as soon as the relay answers;
    /// the connection waits for that commit before its next message.
    func send(_ prepared: [(send: QueuedSend, email: RenderedEmail)], tally: DeliveryTally) async {
        let messages = prepared.map { OutgoingMessage(from: $0.email.envelopeFrom, recipients: [$0.email.recipient], bytes: $0.email.bytes) }
        await sender.send(messages) { index, result in
            // Recorded the moment the relay answered, so a crash can lose at most the sends in flight.
            let (send, email) = prepared[index]
            let outcome = self.outcome(of: result, for: send, messageID: email.messageID)
            do {
                // The tracked links' addresses are kept in the same transaction: a click finds them.
                try self.outcomes.record(OutcomeRecord(key: send.key, outcome: outcome, links: email.links))
            } catch {
                self.logger.error("could not record \(send.key): \(error)")
            }
            tally.summary.withLock { $0.count(outcome) }
            if result.outcome == .configuration { tally.stoppedBy.withLock { $0 = $0 ?? result } }
        }
    }
}

extension PassSummary {
    /// Counts one send's outcome.
    mutating func count(_ outcome: SendOutcome) {
        switch outcome {
        case .sent: sent += 1
        case .retry: retried += 1
        case .failed: failed += 1
        case .deferred: deferred += 1
        case .cancelled: cancelled += 1
        }
    }
}
