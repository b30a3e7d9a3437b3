import NIOCore

/// The one place where the store's synchronous calls wait for PostgresNIO's asynchronous ones.
///
/// The store protocols are synchronous (`throws`), as the SQLite store is. Each call runs its
/// asynchronous work as a task on the client's event loops and blocks the calling thread until it
/// is done. Two rules make that safe:
///
/// - No caller is on an event-loop thread: the command line and the scheduler run on their own or
///   Swift's threads, and the web service moves store calls off its event loops (`Blocking.run`).
///   NIO's `wait()` traps if that rule is ever broken, rather than deadlocking.
/// - The work never needs one of Swift's shared (cooperative) threads, which the waiting callers
///   may all be holding: the task, the pool's own task and their children prefer the event loops as
///   their executor (`EventLoopTaskExecutor`).
enum AsyncBridge {
    static func wait<Result: Sendable>(
        on executor: EventLoopTaskExecutor, _ body: @escaping @Sendable () async throws -> Result
    ) throws -> Result {
        let promise = executor.group.next().makePromise(of: Result.self)
        Task(executorPreference: executor) {
            do {
                promise.succeed(try await body())
            } catch {
                promise.fail(error)
            }
        }
        return try promise.futureResult.wait()
    }
}

/// Runs tasks on a group of NIO event loops instead of Swift's shared threads.
final class EventLoopTaskExecutor: TaskExecutor {
    let group: any EventLoopGroup

    init(_ group: any EventLoopGroup) { self.group = group }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        group.next().execute { job.runSynchronously(on: executor) }
    }
}
