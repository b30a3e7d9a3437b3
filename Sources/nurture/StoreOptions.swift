import ArgumentParser
import Foundation
import NurtureStore

/// `--db PATH`: the SQLite file the scheduler, the importers and `status` share.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The SQLite file ('leads import', 'run' and 'tick' create it).", valueName: "file"))
    var db: String = "nurture.sqlite"

    /// The store, created when missing: for importing leads, which is how a store begins, and for
    /// the scheduler, which owns it.
    func open() throws -> SQLiteStore {
        do {
            return try SQLiteStore(path: db)
        } catch {
            throw ValidationError("cannot open \(db): \(error)")
        }
    }

    /// The store, which must exist: the other commands read or add to one that holds leads, and a
    /// mistyped path would otherwise leave a new, empty store behind and report on it.
    func openExisting() throws -> SQLiteStore {
        guard FileManager.default.fileExists(atPath: db) else {
            throw ValidationError("no store at \(db); 'nurture leads import LEADS.csv --db \(db)' creates one")
        }
        return try open()
    }
}
