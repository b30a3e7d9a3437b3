import ArgumentParser
import Foundation
import GRDB
import NurtureCore
import NurtureStore
import NurtureTokens

/// Builds what `scripts/bench-web` runs `nurture serve` and wrk on: a store with many sent,
/// tracked messages (their links stored as the scheduler stores them), a keyring, and the request
/// paths wrk spreads its load over: every click link, and every lead's one-click unsubscribe.
struct WebStoreBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web-store",
        abstract: "Create a store of sent, tracked messages, a keyring, and the click and unsubscribe paths for wrk."
    )

    @Option(help: "Messages (one lead each), each with three tracked links.")
    var messages: Int = 20_000

    @Option(help: "The SQLite file to create (replaced if it exists).")
    var db: String

    @Option(help: "The keyring to create (replaced if it exists).")
    var keys: String

    @Option(help: "Where to write the click paths, one per line, shuffled.")
    var clicks: String

    @Option(help: "Where to write the unsubscribe paths, one per line, shuffled.")
    var unsubscribes: String

    static let links = [
        "https://northwind.example.com/resources/checklist", "https://northwind.example.com/customers/fernhill",
        "https://northwind.example.com/tour",
    ]

    func run() async throws {
        let clock = ContinuousClock()
        var paths: (clicks: [String], unsubscribes: [String]) = ([], [])
        let elapsed = try clock.measure { paths = try Self.build(messages: messages, db: db, keys: keys, delivered: Date().addingTimeInterval(-3_600)) }
        let (clickPaths, unsubscribePaths) = paths
        try (clickPaths.shuffled().joined(separator: "\n") + "\n").write(toFile: clicks, atomically: true, encoding: .utf8)
        try (unsubscribePaths.shuffled().joined(separator: "\n") + "\n").write(toFile: unsubscribes, atomically: true, encoding: .utf8)
        print("store           \(db): \(grouped(messages)) sent messages, \(grouped(clickPaths.count)) stored links, built in \(fixed(elapsed.seconds, 1)) s")
        print("paths           \(clicks) (\(grouped(clickPaths.count))), \(unsubscribes) (\(grouped(unsubscribePaths.count)))")
    }

    /// Makes the keyring and the store of `messages` sent messages, `delivered` (an hour ago, so
    /// that no click is early enough to count as a scanner's); returns the click and unsubscribe paths.
    static func build(messages: Int, db: String, keys: String, delivered: Date) throws -> (clicks: [String], unsubscribes: [String]) {
        for file in [db, db + "-wal", db + "-shm", keys] { try? FileManager.default.removeItem(atPath: file) }
        let keyring = Keyring.rotated(nil, now: Date())
        try keyring.save(path: keys)
        let store = try SQLiteStore(path: db)
        var clickPaths: [String] = [], unsubscribePaths: [String] = []
        try StoreBench.importLeads(messages, into: store)
        let sendKeys = (0..<messages).map {
            QueuedSend.key(leadID: StoreBench.lead($0).id, sequence: StoreBench.sequenceID, enrolledAt: delivered, step: "welcome")
        }
        // The send rows as a claim leaves them; each is then recorded as sent through the store.
        try DatabaseQueue(path: db).write { db in
            let insert = try db.makeStatement(sql: """
                INSERT INTO send (key, lead_id, sequence, step, template, enrolled_at, due_at, status, attempts, next_attempt_at)
                VALUES (?, ?, ?, 'welcome', ?, ?, ?, 'sending', 1, ?)
                """)
            let at = delivered.timeIntervalSince1970
            for (number, key) in sendKeys.enumerated() {
                try insert.execute(arguments: [key, StoreBench.lead(number).id, StoreBench.sequenceID, "\(StoreBench.sequenceID)/welcome", at, at, at])
            }
        }
        for (number, key) in sendKeys.enumerated() {
            let lead = StoreBench.lead(number).id
            try store.record(.sent(messageID: "<\(number)@example.com>", code: 250, text: "2.0.0 Ok"), for: key, links: links, now: delivered)
            for link in links.indices {
                clickPaths.append("/t/c/" + LinkToken.sign(.init(purpose: .click, leadID: lead, messageKey: key, link: link), with: keyring))
            }
            unsubscribePaths.append("/unsubscribe?t=" + LinkToken.sign(.init(purpose: .unsubscribe, leadID: lead, messageKey: key), with: keyring))
        }
        return (clickPaths, unsubscribePaths)
    }
}
