import Dispatch

/// Runs a blocking store call off the server's event loops: a SQLite write may wait for the
/// database lock, and an event loop that waits stalls every connection it serves.
enum Blocking {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }
}
