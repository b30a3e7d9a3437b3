import ArgumentParser
import Foundation
import NurtureBasics
import NurtureCore
import NurtureDefinitions
import NurtureStore

struct Leads: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage leads in the store.", subcommands: [Import.self, Show.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import leads from a CSV file (columns by header); re-importing updates instead of duplicating.",
            discussion: """
                Columns: id, email (required), time_zone, stage, owner_name, owner_email, owner_title, owner_phone; \
                any other column is a lead attribute. Each bad row is reported with its line and skipped; the good \
                rows are kept, and the command fails if any row was refused. The file is streamed, so it may be of \
                any size; a field may hold 64 KiB and a row 1,000 fields.
                """
        )

        @Argument(help: "The CSV file.")
        var file: String

        @Option(help: ArgumentHelp("The definitions folder, whose lifecycle names the stages a lead may be in.", valueName: "folder"))
        var definitions: String = "sequences"

        @OptionGroup var store: StoreOptions

        func run() throws {
            // Checked first: a mistyped path must not leave a new, empty store behind.
            if let problem = TextFile.problem(path: file) {
                Terminal.error(problem.description)
                throw ExitCode(1)
            }
            let stages = try DefinitionsFolder.load(definitions).0.lifecycle.stages.map(\.id)
            let store = try store.openShared(.create)
            var batch: [Lead] = []
            var read = 0, inserted = 0
            func flush() throws {
                inserted += try store.upsert(batch)
                batch.removeAll(keepingCapacity: true)
            }
            let diagnostics = try LeadTable.read(path: file, stages: stages) { lead in
                batch.append(lead)
                read += 1
                if batch.count == 2_000 { try flush() }
            }
            try flush()
            for diagnostic in diagnostics.sorted { Terminal.error(diagnostic.description) }
            print("\(Figures.count(read, "lead")) read: \(Figures.count(inserted)) new, \(Figures.count(read - inserted)) updated; "
                + "\(Figures.count(diagnostics.errors.count, "row")) skipped")
            // Refused rows fail the command, after the good ones are in: a script must hear of them.
            if diagnostics.hasErrors { throw ExitCode(1) }
        }
    }
}
