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
        let forecast = try store.lastForecast()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(StatusJSON(queue: status, forecast: forecast)), as: UTF8.self))
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
            forecast       \(Self.forecastLine(forecast))
            """)
    }

    /// The last forecast's flagged days, one per rep and day, or that none was made.
    static func forecastLine(_ forecast: ForecastSummary?) -> String {
        guard let forecast else { return "none made ('nurture forecast' makes one)" }
        let made = "\(forecast.days) days from \(ISO8601DateFormatter().string(from: forecast.madeAt))"
        guard !forecast.flags.isEmpty else { return "\(made): no day over capacity" }
        let days = forecast.flags.map { "\($0.date) \($0.rep) \($0.load)/\($0.capacity)" }
        return "\(made): \(forecast.flags.count) over capacity: \(days.joined(separator: ", "))"
    }
}

/// `status --json`: the queue's fields, and `forecast` (the last forecast and its flagged days)
/// beside them when one was made.
private struct StatusJSON: Encodable {
    let queue: QueueStatus
    let forecast: ForecastSummary?

    enum Key: String, CodingKey { case forecast }

    func encode(to encoder: any Encoder) throws {
        try queue.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encodeIfPresent(forecast, forKey: .forecast)
    }
}
