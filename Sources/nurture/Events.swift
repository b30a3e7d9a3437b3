import ArgumentParser
import Foundation
import NurtureCore
import NurtureDefinitions
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
            let store = try store.open()
            let (rows, diagnostics) = EventLog.load(path: file)
            for diagnostic in diagnostics.sorted { Terminal.error(diagnostic.description) }
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
                    Terminal.error("\(file):\(row.line):1: error: no lead '\(row.lead ?? "")' in the store; row skipped")
                    unknown += 1
                    continue
                }
                let event = row.event
                let id = row.id ?? "\(leadID)|\(row.at.timeIntervalSince1970)|\(event.kind.rawValue)|\(event.category ?? "")|\(event.step ?? "")"
                items.append(InboxItem(id: id, leadID: leadID, at: row.at, payload: .event(
                    kind: event.kind.rawValue, category: event.category, sequence: event.sequence, step: event.step)))
            }
            let added = try store.append(items)
            print("\(items.count) events read: \(added) new, \(items.count - added) already known; \(diagnostics.errors.count + unknown) rows skipped")
        }
    }
}
