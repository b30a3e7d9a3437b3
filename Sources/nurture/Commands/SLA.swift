import ArgumentParser
import Foundation
import NurtureOperations
import NurtureStore

struct SLA: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sla",
        abstract: "Both teams' service levels for a period: hand-offs delivered against the goal, answers and first touches in time, requests used.")

    @OptionGroup var loop: LoopOptions
    @Option(help: ArgumentHelp("Start of the period (default: 7 days ago).", valueName: "date"), transform: Instant.parse) var since: Date?
    @Option(help: ArgumentHelp("End of the period (default: now).", valueName: "date"), transform: Instant.parse) var until: Date?
    @Option(help: ArgumentHelp("Only this rep.", valueName: "email")) var rep: String?
    @OptionGroup var output: ReportOutput

    func validate() throws {
        if let since, let until, since >= until { throw ValidationError("--since must come before --until") }
    }

    func run() throws {
        let (store, definitions) = try loop.open(readOnly: true)
        let now = Date()
        let end = until ?? now
        let start = since ?? end.addingTimeInterval(-7 * 86_400)
        let handOffs = try store.handOffs(HandOffFilter(repEmail: rep, since: start, until: end), now: now)
        let requests = try store.requests(leadID: nil, repEmail: rep, since: start, until: end)
        let ledger = SLALedger(handOffs: handOffs, requests: requests, lifecycle: definitions.lifecycle, since: start, until: end, now: now)
        try output.write(ledger, text: ledger.text + "\n", html: ledger.html)
    }
}
