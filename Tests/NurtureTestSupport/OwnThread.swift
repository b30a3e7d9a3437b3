import Foundation

/// Runs blocking work on a thread of its own and awaits it. A test's long blocking waits (sleeps
/// timed to the millisecond, child processes) then hold none of Swift's shared threads: there are
/// as many of those as cores, and the tests running beside it need them to make progress.
public enum OwnThread {
    public static func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
        }
    }
}
