import ArgumentParser
import Foundation
import NurtureBasics
import NurtureCore
import NurtureDefinitions
import NurtureStore

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the store's recorded history as CSV, for calibrate and backtest.",
        discussion: """
            --events gets every lead's sends (email_sent), events (machine opens keep category 'machine') \
            and hand-offs (handed_off), as at,type,category,step,lead. --outcomes gets one row per hand-off: \
            lead,handed_off_at,sequence,score,grade,rep,outcome,reason,answered_at,touched_at. Both files hold \
            personal data and are created readable by their owner only (0600). See docs/calibration.md.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Where to write the events.", valueName: "file"))
    var events: String

    @Option(help: ArgumentHelp("Where to write the hand-offs and their answers.", valueName: "file"))
    var outcomes: String?

    func run() throws {
        let store = try store.openShared(.reading)
        let eventsFile = try PrivateFile(path: events)
        try eventsFile.write(line: RecordedHistoryFile.header)
        var rows = 0, leads = 0
        try store.eachHistoryEntry { batch in
            leads += 1
            for entry in batch {
                try eventsFile.write(line: RecordedHistoryFile.row(
                    at: entry.at, type: entry.type, category: entry.category, step: entry.step, lead: entry.leadID))
            }
            rows += batch.count
        }
        try eventsFile.finish()
        Terminal.error("wrote \(events): \(Figures.count(rows, "row")) for \(Figures.count(leads, "lead"))")
        guard let outcomes else { return }
        let handOffs = try store.handOffs(HandOffFilter(limit: Int(Int32.max)), now: Date())
        let outcomeRows = handOffs.map { record in
            OutcomeLog.Row(
                lead: record.leadID, handedOffAt: record.at, sequence: record.sequence, score: record.score, grade: record.grade,
                rep: record.repEmail, outcome: record.status.rawValue,
                reason: record.status == .rejected ? record.answer.flatMap(RepAction.init(parsing:))?.reason : nil,
                answeredAt: record.answeredAt, touchedAt: record.touchedAt)
        }
        let outcomesFile = try PrivateFile(path: outcomes)
        try outcomesFile.write(OutcomeLog.csv(outcomeRows))
        try outcomesFile.finish()
        Terminal.error("wrote \(outcomes): \(Figures.count(outcomeRows.count, "hand-off"))")
    }
}
