import ArgumentParser
import Foundation
import NurtureBasics
import NurturePostgres
import NurtureStore

/// `nurture store`: moving the store a team has outgrown.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Move a store between SQLite and PostgreSQL.", subcommands: [Copy.self])

    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy every table of a SQLite store into an empty PostgreSQL store.",
            discussion: """
                The copy reads the SQLite file as it is at one instant (the scheduler may go on running, but \
                what it does after the copy starts stays behind: stop it first), writes every table in one \
                transaction, reads each table back and compares its row count and checksum before committing. \
                A PostgreSQL store that already holds data is refused. Afterwards, give every command \
                --db postgres://... instead of the file. See docs/postgres.md.
                """)

        @Option(help: ArgumentHelp("The SQLite store to copy.", valueName: "file"))
        var from: String

        @Option(help: ArgumentHelp("The empty PostgreSQL store: postgres://user@host:port/database (password from PGPASSWORD or a service file).", valueName: "url"))
        var to: String

        func validate() throws {
            guard !PostgresLocation.isPostgres(from) else { throw ValidationError("--from takes a SQLite file; copies go from SQLite to PostgreSQL") }
            guard PostgresLocation.isPostgres(to) else { throw ValidationError("--to takes a postgres:// URL") }
        }

        func run() throws {
            var options = StoreOptions()
            options.db = from
            let source = try options.openForReading()
            options.db = to
            let target = try options.openPostgres()
            defer { target.close() }
            let started = Date()
            let copies = try target.copy(from: try source.snapshot()) { copy in
                Terminal.error("copied \(Figures.pad(copy.table, 16)) \(Figures.pad(Figures.count(copy.digest.rows), 12, right: true)) rows")
            }
            let rows = copies.reduce(0) { $0 + $1.digest.rows }
            print("copied \(Figures.count(copies.count, "table")) and \(Figures.count(rows, "row")) from \(from) to \(target.location) "
                + "in \(String(format: "%.1f", Date().timeIntervalSince(started))) s; every table's count and checksum verified")
            print("from now on, give the commands --db '\(target.location)'")
        }
    }
}
