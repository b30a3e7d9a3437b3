import ArgumentParser
import Foundation
import NurtureStore

/// Clicks recorded per second by the store alone, without HTTP: the same clicks one after another
/// (each its own transaction, as without group commit) and many in flight at once (sharing commits).
struct TrackingWritesBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracking-writes",
        abstract: "Tracked clicks recorded per second by the SQLite store, from one thread and from many."
    )

    @Option(help: "Messages in the store (three links each).")
    var messages: Int = 20_000

    @Option(help: "Clicks recorded per run.")
    var clicks: Int = 20_000

    @Option(help: "Clicks in flight at once in the concurrent run.")
    var concurrency: Int = 32

    func run() async throws {
        let folder = try StoreBench.temporaryFolder("nurture-tracking-writes")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let db = "\(folder)/web.sqlite"
        let delivered = Date().addingTimeInterval(-3_600)
        _ = try WebStoreBench.build(messages: messages, db: db, keys: "\(folder)/web.keys", delivered: delivered)
        let store = try SQLiteStore(path: db)
        @Sendable func key(_ number: Int) -> String {
            QueuedSend.key(leadID: StoreBench.lead(number).id, sequence: StoreBench.sequenceID, enrolledAt: delivered, step: "welcome")
        }
        // Each click names another message and link, as wrk's load does.
        @Sendable func click(_ index: Int) async throws {
            let number = (index * 7_919) % messages
            let hit = TrackingHit(
                leadID: StoreBench.lead(number).id, messageKey: key(number), link: index % 3, at: Date(), clicksSince: Date().addingTimeInterval(-5))
            guard try await store.recordClick(hit, classify: { _ in nil }) != nil else { throw BenchFailure("click \(index) found no stored link") }
        }
        let clock = ContinuousClock()
        let serial = try await clock.measure { for index in 0..<clicks { try await click(index) } }
        let concurrency = concurrency
        let concurrent = try await clock.measure {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<concurrency {
                    group.addTask {
                        for index in stride(from: clicks + lane, to: 2 * clicks, by: concurrency) { try await click(index) }
                    }
                }
                try await group.waitForAll()
            }
        }
        print("one at a time   \(grouped(Int(Double(clicks) / serial.seconds))) clicks/s (one transaction each)")
        print("\(concurrency) in flight    \(grouped(Int(Double(clicks) / concurrent.seconds))) clicks/s (sharing commits)")
    }
}
