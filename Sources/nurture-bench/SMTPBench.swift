import ArgumentParser
import Foundation
import NurtureSMTP

/// Messages per second through the real sender to a relay on loopback (Postfix's `smtp-sink`),
/// with rendering excluded: 2 KB messages prepared up front.
struct SMTPBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smtp",
        abstract: "SMTP delivery throughput to a relay (start one with: smtp-sink -c 127.0.0.1:2525 1000)."
    )

    @Option(help: "The relay.")
    var relay: String = "smtp://127.0.0.1:2525"

    @Option(help: "Concurrent connections.")
    var connections: Int = 1

    @Option(help: "Messages to send.")
    var messages: Int = 20_000

    @Option(help: "Message size in bytes.")
    var size: Int = 2048

    func run() async throws {
        let sender = try SMTPSender(relay: RelayConfiguration(url: relay, connections: connections))
        let batch = (0..<messages).map { OutgoingMessage(from: "bench@example.com", recipients: ["to\($0 % 100)@example.org"], bytes: Self.message(number: $0, size: size)) }
        // One warm-up message per connection opens the connections outside the timing.
        _ = await sender.send(Array(batch.prefix(connections)))
        let clock = ContinuousClock()
        var results: [DeliveryResult] = []
        let elapsed = await clock.measure { results = await sender.send(batch) }
        let seconds = elapsed.seconds
        let delivered = results.filter { $0.outcome == .delivered }.count
        print("relay           \(relay), \(connections) connection\(connections == 1 ? "" : "s"), \(size)-byte messages")
        print("messages        \(delivered) delivered of \(messages) in \(String(format: "%.3f", seconds)) s")
        print("messages/s      \(Int(Double(delivered) / seconds))")
        if let failure = results.first(where: { $0.outcome != .delivered }) { print("first failure   \(failure)") }
        print("peak memory     \(String(format: "%.1f", PeakMemory.megabytes)) MB")
    }

    /// A plain 2 KB message with CRLF line ends.
    static func message(number: Int, size: Int) -> [UInt8] {
        var text = "From: bench@example.com\r\nTo: to@example.org\r\nSubject: Benchmark \(number)\r\nMessage-ID: <bench-\(number)@example.com>\r\n\r\n"
        let line = String(repeating: "x", count: 70) + "\r\n"
        while text.utf8.count + line.utf8.count <= size { text += line }
        return Array(text.utf8)
    }
}
