import ArgumentParser
import Foundation
import NurtureStore

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Queue depth, due now, sent today, failures and the oldest overdue send.")

    @OptionGroup var store: StoreOptions

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let store = try store.openShared(.reading)
        let now = Date()
        let status = try store.status(now: now, dayStart: Calendar(identifier: .gregorian).startOfDay(for: now))
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(status), as: UTF8.self))
            return
        }
        let paced = status.lastPacedStart.map { "\(status.pacedEnrollments) waiting, the last on \(ISO8601DateFormatter().string(from: $0))" }
            ?? "none waiting"
        let overdue = status.oldestOverdue.map { "\(Int(now.timeIntervalSince($0) / 60)) minutes (due \(ISO8601DateFormatter().string(from: $0)))" } ?? "none"
        print("""
            leads          \(status.leads)
            queued sends   \(status.queued)
            due now        \(status.dueNow)
            sent today     \(status.sentToday)
            failed         \(status.failed) (\(status.failedToday) today)
            oldest overdue \(overdue)
            suppressed     \(status.suppressed)
            hand-offs      \(status.handOffs) (\(status.openHandOffs) open, \(status.overdueHandOffs) overdue)
            rep notices    \(status.undeliveredNotices) undelivered (\(status.failedNotices) failed)
            open requests  \(status.openRequests)
            paced starts   \(paced)
            """)
    }
}
