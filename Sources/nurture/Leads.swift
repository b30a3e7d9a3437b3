import ArgumentParser
import Foundation
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
                rows are kept. The file is streamed, so it may be of any size.
                """
        )

        @Argument(help: "The CSV file.")
        var file: String

        @OptionGroup var store: StoreOptions

        func run() throws {
            let store = try store.open()
            var batch: [Lead] = []
            var read = 0, inserted = 0
            func flush() throws {
                inserted += try store.upsert(batch)
                batch.removeAll(keepingCapacity: true)
            }
            let diagnostics = try LeadTable.read(path: file) { lead in
                batch.append(lead)
                read += 1
                if batch.count == 2_000 { try flush() }
            }
            try flush()
            for diagnostic in diagnostics.sorted { Terminal.error(diagnostic.description) }
            print("\(read) leads read: \(inserted) new, \(read - inserted) updated; \(diagnostics.errors.count) rows skipped")
            if read == 0, diagnostics.hasErrors { throw ExitCode(1) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a lead and its engine state (score, stage, enrollments) as JSON.",
            discussion: "The store keeps engine states in a compact binary form; this is how to read one."
        )

        @Argument(help: "The lead's id or email address.")
        var lead: String

        @OptionGroup var store: StoreOptions

        /// The lead as printed: its fields, then the state the engine keeps for it.
        struct Shown: Encodable {
            struct Person: Encodable {
                var name: String
                var email: String
                var title: String?
                var phone: String?
            }

            var id: String
            var email: String
            var timeZone: String?
            var stage: String?
            var owner: Person?
            var attributes: [String: String]
            var state: LeadState?
        }

        func run() throws {
            let store = try store.open()
            guard let id = try store.leadID(for: lead), let (found, state) = try store.lead(id) else {
                Terminal.error("no lead '\(lead)' in \(self.store.db)")
                throw ExitCode(1)
            }
            let shown = Shown(
                id: found.id, email: found.email, timeZone: found.timeZone?.identifier, stage: found.stage,
                owner: found.owner.map { Shown.Person(name: $0.name, email: $0.email, title: $0.title, phone: $0.phone) },
                attributes: found.attributes, state: state)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(shown), as: UTF8.self))
        }
    }
}
