import Foundation

/// Runs a blocking store call off the server's threads: SQLite may wait up to its busy timeout for
/// another process's write lock, and an event loop must never wait.
enum OffLoop {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }
}
