import CCurl
import Foundation
import Synchronization

/// Delivers messages through a relay over a pool of reused connections, at the relay's pace.
///
/// Each connection lives on its own thread, because a libcurl transfer blocks. A batch is shared
/// out: every connection takes the next unsent message until none is left. After a configuration
/// error (bad credentials, TLS refused) the sender stops: the remaining messages come back as
/// configuration errors without touching the relay, rather than using up their attempts.
public final class SMTPSender: Sendable {
    public let relay: RelayConfiguration
    private let workers: [Worker]
    private let pacing: Mutex<RateLimiter>
    private let stopped = Mutex<DeliveryResult?>(nil)
    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    public init(relay: RelayConfiguration) throws {
        _ = Self.globalInit
        self.relay = relay
        workers = try (0..<relay.connections).map { number in try Worker(relay: relay, number: number) }
        pacing = Mutex(RateLimiter(relay.rateLimit))
    }

    /// Why sending stopped, if it has.
    public var stopReason: DeliveryResult? { stopped.withLock { $0 } }

    /// Sends a batch and returns one result per message, in order.
    public func send(_ messages: [OutgoingMessage]) async -> [DeliveryResult] {
        await send(messages) { _, _ in }
    }

    /// Sends a batch, calling `onResult` with each message's index and result on the connection's
    /// thread as soon as the relay has answered (so the caller can record it before the next one).
    @discardableResult
    public func send(
        _ messages: [OutgoingMessage], onResult: @escaping @Sendable (Int, DeliveryResult) -> Void
    ) async -> [DeliveryResult] {
        guard !messages.isEmpty else { return [] }
        let batch = Batch(messages, onResult: onResult)
        await withTaskGroup(of: Void.self) { group in
            for worker in workers.prefix(messages.count) {
                group.addTask { await worker.run { self.drain(batch, on: $0) } }
            }
        }
        return batch.results()
    }

    /// Sends one message.
    public func send(_ message: OutgoingMessage) async -> DeliveryResult {
        await send([message])[0]
    }

    /// Runs on a worker's thread: take messages until none are left.
    private func drain(_ batch: Batch, on connection: SMTPConnection) {
        while let (index, message) = batch.next() {
            if let reason = stopped.withLock({ $0 }) {
                batch.record(DeliveryResult(outcome: .configuration, stage: reason.stage, code: reason.code,
                                            text: "not sent: sending stopped after \(reason)"), at: index)
                continue
            }
            waitForPace()
            let result = connection.send(message)
            if result.outcome == .configuration { stopped.withLock { $0 = $0 ?? result } }
            batch.record(result, at: index)
        }
    }

    private func waitForPace() {
        guard relay.rateLimit != .unlimited else { return }
        while true {
            let now = ProcessInfo.processInfo.systemUptime
            let wait = pacing.withLock { limiter -> Double in
                let wait = limiter.delay(at: now)
                if wait <= 0 { limiter.record(at: now) }
                return wait
            }
            if wait <= 0 { return }
            Thread.sleep(forTimeInterval: wait)
        }
    }

    /// A batch's messages and results, shared by the workers.
    private final class Batch: Sendable {
        let messages: [OutgoingMessage]
        private let cursor = Atomic<Int>(0)
        private let slots: Mutex<[DeliveryResult?]>
        private let onResult: @Sendable (Int, DeliveryResult) -> Void

        init(_ messages: [OutgoingMessage], onResult: @escaping @Sendable (Int, DeliveryResult) -> Void) {
            self.messages = messages
            self.onResult = onResult
            slots = Mutex([DeliveryResult?](repeating: nil, count: messages.count))
        }

        func next() -> (Int, OutgoingMessage)? {
            let index = cursor.add(1, ordering: .relaxed).oldValue
            return index < messages.count ? (index, messages[index]) : nil
        }

        func record(_ result: DeliveryResult, at index: Int) {
            onResult(index, result)
            slots.withLock { $0[index] = result }
        }

        func results() -> [DeliveryResult] { slots.withLock { $0.map { $0! } } }
    }

    /// A connection and the thread it runs on.
    private final class Worker: @unchecked Sendable {
        // The connection is only touched on `queue`, one job at a time.
        private let connection: SMTPConnection
        private let queue: DispatchQueue

        init(relay: RelayConfiguration, number: Int) throws {
            connection = try SMTPConnection(relay)
            queue = DispatchQueue(label: "nurture.smtp.connection.\(number)")
        }

        func run(_ job: @escaping @Sendable (SMTPConnection) -> Void) async {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                queue.async {
                    job(self.connection)
                    done.resume()
                }
            }
        }
    }
}
