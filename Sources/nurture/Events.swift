import ArgumentParser
import Foundation
import NurtureCore
import NurtureDefinitions
import NurtureSimulator
import NurtureStore

struct Events: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Feed prospects' events to the store.", subcommands: [Ingest.self])

    struct Ingest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ingest opens, clicks, replies, visits, form fills, meetings, unsubscribes and bounces.",
            discussion: """
                CSV (at,type,category,step,lead,id) or JSON Lines. 'lead' is a lead id or email; 'id' is the \
                tracking system's event id, so ingesting the same file twice adds nothing. Rows without an id are \
                identified by their content.
                """
        )

        @Argument(help: "The CSV or JSON Lines file.")
        var file: String

        @OptionGroup var store: StoreOptions

        func run() throws {
            let (rows, diagnostics) = EventLog.load(path: file)
            for diagnostic in diagnostics.sorted { Terminal.error(diagnostic.description) }
            // A file with nothing usable in it is a failure, as for 'leads import'.
            if rows.isEmpty, diagnostics.hasErrors { throw ExitCode(1) }
            // A log made for one lead (as 'trace' reads) names none: one error says so, not one per row.
            if !rows.isEmpty, rows.allSatisfy({ $0.lead == nil }) {
                Terminal.error("\(file):1:1: error: no 'lead' column: each event needs its lead's id or email")
                throw ExitCode(1)
            }
            let store = try store.openExisting()
            var items: [InboxItem] = []
            var unknown = 0
            // Each lead looked up once: a log has many rows per lead.
            var leadIDs: [String: String?] = [:]
            func leadID(for reference: String) throws -> String? {
                if let known = leadIDs[reference] { return known }
                let found = try store.leadID(for: reference)
                leadIDs[reference] = found
                return found
            }
            for row in rows {
                guard let reference = row.lead, let leadID = try leadID(for: reference) else {
                    let problem = row.lead.map { "no lead '\($0)' in the store" } ?? "the row names no lead"
                    Terminal.error("\(file):\(row.line):1: error: \(problem); row skipped")
                    unknown += 1
                    continue
                }
                let event = row.event
                let id = row.id ?? "\(leadID)|\(row.at.timeIntervalSince1970)|\(event.kind.rawValue)|\(event.category ?? "")|\(event.step ?? "")"
                items.append(InboxItem(id: id, leadID: leadID, at: row.at, payload: .event(
                    kind: event.kind.rawValue, category: event.category, sequence: event.sequence, step: event.step)))
            }
            let added = try store.append(items)
            let skipped = diagnostics.errors.count + unknown
            typealias R = SimulationReport
            print("\(R.count(items.count, "event")) read: \(R.count(added)) new, \(R.count(items.count - added)) already known; "
                + "\(R.count(skipped, "row")) skipped")
            // Every row refused: the file is not what the store needs, which a script must hear.
            if items.isEmpty, skipped > 0 { throw ExitCode(1) }
        }
    }
}
