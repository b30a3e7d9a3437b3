import ArgumentParser
import Foundation
import NurtureBasics
import NurtureCore
import NurtureDefinitions
import NurtureOperations
import NurtureStore

struct Events: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Feed prospects' events to the store.", subcommands: [Ingest.self])

    struct Ingest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ingest opens, clicks, replies, visits, form fills, meetings, unsubscribes and bounces.",
            discussion: """
                CSV (at,type,category,step,lead,id,action) or JSON Lines. 'lead' is a lead id or email; 'id' is the \
                tracking system's event id, so ingesting the same file twice adds nothing. Rows without an id are \
                identified by their content. Rows of type rep_action carry a rep's action from a CRM in 'action' \
                (accept, reject(not-ready), qualify, won, lost(competitor)...), checked against lifecycle.yml.
                """
        )

        @Argument(help: "The CSV or JSON Lines file.")
        var file: String

        @OptionGroup var loop: LoopOptions

        func run() throws {
            let intake = EventLog.loadIntake(path: file)
            let diagnostics = intake.diagnostics
            for diagnostic in diagnostics.sorted { Terminal.error(diagnostic.description) }
            let rows = intake.rows.count + intake.actions.count
            // A file with nothing usable in it is a failure, as for 'leads import'.
            if rows == 0, diagnostics.hasErrors { throw ExitCode(1) }
            // A log made for one lead (as 'trace' reads) names none: one error says so, not one per row.
            if rows > 0, intake.rows.allSatisfy({ $0.lead == nil }), intake.actions.allSatisfy({ $0.lead == nil }) {
                Terminal.error("\(file):1:1: error: no 'lead' column: each event needs its lead's id or email")
                throw ExitCode(1)
            }
            let store = try loop.store.openShared(.existing)
            // Only rep actions are checked against the lifecycle: events alone need no definitions folder.
            let lifecycle = intake.actions.isEmpty ? nil : try DefinitionsFolder.load(loop.definitions).0.lifecycle
            let result = try EventIntake(store: store, lifecycle: lifecycle).ingest(intake, at: Date())
            for refused in result.refused {
                Terminal.error("\(file):\(refused.line):1: error: \(refused.problem); row skipped")
            }
            let skipped = diagnostics.errors.count + result.refused.count
            print("\(Figures.count(result.read, "event")) read: \(Figures.count(result.added)) new, "
                + "\(Figures.count(result.read - result.added)) already known; \(Figures.count(skipped, "row")) skipped")
            // Every row refused: the file is not what the store needs, which a script must hear.
            if result.read == 0, skipped > 0 { throw ExitCode(1) }
        }
    }
}
