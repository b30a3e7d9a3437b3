import NIOCore
import PostgresNIO
import Synchronization

/// Runs one attempt of a transaction so that the close of its connection ends it (`AttemptRace`).
///
/// The work runs as a task of its own on the client's event loops; the caller resumes on
/// whichever the race decides. The grace period is timed on the connection's event loop, not with
/// `Task.sleep`, so ending a stuck attempt needs none of Swift's shared threads, which the
/// scheduler's waiting store calls may all be holding. A statement left waiting on a closed
/// connection stays suspended, holding only that closed connection; the attempt has already been
/// reported and its connection given back to the pool.
enum GuardedAttempt {
    static func run<Value: Sendable>(
        on connection: PostgresConnection, executor: EventLoopTaskExecutor, closes: ConnectionCloseWatch,
        _ work: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        let attempt = Attempt<Value>()
        // Watched from inside the continuation below, so always before this runs.
        defer { closes.forget(ObjectIdentifier(attempt), on: connection) }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                attempt.start(continuation)
                let task = Task(executorPreference: executor) {
                    let result: Result<Value, any Error>
                    do {
                        result = .success(try await work())
                    } catch {
                        result = .failure(error)
                    }
                    attempt.handle(.finished(result), on: connection.eventLoop)
                }
                attempt.keep(task)
                closes.watch(connection, for: ObjectIdentifier(attempt)) {
                    attempt.handle(.connectionClosed, on: connection.eventLoop)
                }
            }
        } onCancel: {
            attempt.cancel()
        }
    }

    /// The race's state and the caller waiting on it, behind one lock.
    private final class Attempt<Value: Sendable>: Sendable {
        private struct Shared {
            var race = AttemptRace<Value>()
            var caller: CheckedContinuation<Value, any Error>?
            var task: Task<Void, Never>?
            var cancelled = false
        }

        private let shared = Mutex(Shared())

        func start(_ caller: CheckedContinuation<Value, any Error>) {
            shared.withLock { $0.caller = caller }
        }

        func keep(_ task: Task<Void, Never>) {
            let cancel = shared.withLock { shared in
                shared.task = task
                return shared.cancelled
            }
            if cancel { task.cancel() }
        }

        func cancel() {
            let task = shared.withLock { shared in
                shared.cancelled = true
                return shared.task
            }
            task?.cancel()
        }

        func handle(_ event: AttemptRace<Value>.Event, on loop: any EventLoop) {
            let (action, caller) = shared.withLock { shared in
                let action = shared.race.handle(event)
                guard case .report = action else { return (action, nil as CheckedContinuation<Value, any Error>?) }
                defer { shared.caller = nil }
                return (action, shared.caller)
            }
            switch action {
            case .report(let result):
                caller?.resume(with: result)
            case .startGrace(let grace):
                loop.scheduleTask(in: .nanoseconds(Int64(grace.components.seconds) * 1_000_000_000 + grace.components.attoseconds / 1_000_000_000)) {
                    self.handle(.graceOver, on: loop)
                }
            case .none:
                break
            }
        }
    }
}
