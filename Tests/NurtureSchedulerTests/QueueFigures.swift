import Foundation
import NurtureTestSupport

/// The queue's figures as `nurture status --json` prints them, for tests that watch a store from
/// outside the processes working on it.
struct QueueFigures: Decodable {
    var leads: Int
    var queued: Int
    var failed: Int

    static func read(db: String) throws -> QueueFigures {
        let run = try NurtureCLI.run(["status", "--db", db, "--json"])
        guard run.status == 0 else { throw TestEnvironment.Failure(description: "nurture status failed: \(run.stderr)") }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(QueueFigures.self, from: Data(run.stdout.utf8))
    }
}
