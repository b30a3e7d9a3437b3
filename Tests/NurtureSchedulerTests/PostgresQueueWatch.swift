import Foundation
import NurtureTestSupport

/// Watches a PostgreSQL store from outside the `nurture run` processes working on it, until all
/// of its sends are sent: the queue empty, the relay holding as many messages, the store agreeing.
enum PostgresQueueWatch {
    /// Polls until `count` sends are sent or `within` passes; throws if one of `workers` exits.
    /// Returns the last figures read.
    static func waitUntilSent(
        _ count: Int, db: String, server: CaptureServer, workers: () -> [ChildProcess], within: Duration
    ) async throws -> QueueFigures {
        let deadline = ContinuousClock.now + within
        var status = try QueueFigures.read(db: db)
        while ContinuousClock.now < deadline {
            status = try QueueFigures.read(db: db)
            if status.queued == 0, server.count() >= count,
               try TestPostgres.psql(db, "SELECT COUNT(*) FROM send WHERE status = 'sent'") == "\(count)" {
                break
            }
            for worker in workers() where !worker.isRunning {
                throw SetupFailure("nurture run exited early: \(worker.termination) \(worker.errors.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(300))
        }
        return status
    }
}
