import Foundation
import Synchronization

/// Runs blocking work on a thread of its own and waits for it at most a given time, so that work
/// that never returns fails its test instead of holding the whole run. On a timeout the thread is
/// left behind, still waiting.
public enum BoundedWait {
    /// The work's result or error, or nil when `limit` passed first.
    public static func run<Value: Sendable>(
        limit: Duration, _ work: @escaping @Sendable () throws -> Value
    ) -> Result<Value, any Error>? {
        let outcome = Mutex<Result<Value, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let result = Result { try work() }
            outcome.withLock { $0 = result }
            done.signal()
        }
        guard done.wait(timeout: .now() + limit.timeInterval) == .success else { return nil }
        return outcome.withLock { $0 }
    }
}
