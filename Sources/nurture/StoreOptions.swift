import ArgumentParser
import Foundation
import NurtureStore

/// `--db PATH`: the SQLite file the scheduler, the importers and `status` share.
struct StoreOptions: ParsableArguments {
    @Option(help: "The SQLite file (created when missing).")
    var db: String = "nurture.sqlite"

    func open() throws -> SQLiteStore {
        do {
            return try SQLiteStore(path: db)
        } catch {
            throw ValidationError("cannot open \(db): \(error)")
        }
    }
}
