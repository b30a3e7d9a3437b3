import ArgumentParser
import Foundation
import NurtureOperations
import NurtureStore

struct SLA: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sla",
        abstract: "Both teams' service levels for a period: hand-offs delivered against the goal, answers and first touches in time, requests used.",
        discussion: "The period is the last 7 days unless --since says otherwise.")

    @OptionGroup var loop: LoopOptions
    @OptionGroup var period: ReportPeriod
    @Option(help: ArgumentHelp("Only this rep.", valueName: "email")) var rep: String?
    @OptionGroup var output: ReportOutput

    func run() throws {
        let (store, definitions) = try loop.open(readOnly: true)
        let now = Date()
        let (start, end) = period.range(defaultDays: 7, now: now)
        let handOffs = try store.handOffs(HandOffFilter(repEmail: rep, since: start, until: end), now: now)
        let requests = try store.requests(leadID: nil, repEmail: rep, since: start, until: end)
        let ledger = SLALedger(handOffs: handOffs, requests: requests, lifecycle: definitions.lifecycle, since: start, until: end, now: now)
        try output.write(ledger, text: ledger.text + "\n", html: ledger.html)
    }
}
