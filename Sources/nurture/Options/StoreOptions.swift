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
        try checkExists()
        return try open()
    }

    /// The store opened read-only, for a command that only reads: it is never created or
    /// migrated, and a file without write permission can still be read.
    func openForReading() throws -> SQLiteStore {
        try checkExists()
        do {
            return try SQLiteStore(path: db, readOnly: true)
        } catch {
            throw ValidationError("cannot read \(db): \(error)")
        }
    }

    /// The store, checked before anything is sent from it.
    func openForSending() throws -> SQLiteStore {
        let store = try open()
        do {
            try store.checkIntegrity()
        } catch {
            throw ValidationError("\(db): \(error)")
        }
        return store
    }

    private func checkExists() throws {
        guard FileManager.default.fileExists(atPath: db) else {
            throw ValidationError("no store at \(db); 'nurture leads import LEADS.csv --db \(db)' creates one")
        }
    }
}
