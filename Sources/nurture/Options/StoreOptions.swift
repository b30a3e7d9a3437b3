import ArgumentParser
import Foundation
import NurturePostgres
import NurtureStore

/// `--db PATH|URL`: the SQLite file the scheduler, the importers and `status` share, or a
/// `postgres://` URL, which several schedulers on several machines can share.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The SQLite file ('leads import', 'run' and 'tick' create it), or postgres://user@host:port/database "
            + "(password from PGPASSWORD or a service file).", valueName: "file|url"))
    var db: String = "nurture.sqlite"

    /// How a command uses the store it opens.
    enum Access {
        /// Created when missing: importing leads, which is how a store begins.
        case create
        /// Must exist: a mistyped path must not leave a new, empty store behind.
        case existing
        /// Only read: never created or migrated.
        case reading
        /// The scheduler's: checked before anything is sent from it.
        case sending
    }

    var isPostgres: Bool { PostgresLocation.isPostgres(db) }

    /// The store on SQLite or on PostgreSQL, behind the protocols both implement: what every
    /// command that takes `--db` opens. On SQLite, `access` decides whether the file may be
    /// created and how it is opened; a PostgreSQL store is always there and migrated on opening.
    func openShared(_ access: Access) throws -> any SharedStore {
        guard isPostgres else {
            switch access {
            case .create: return try open()
            case .existing: return try openExisting()
            case .reading: return try openForReading()
            case .sending: return try openForSending()
            }
        }
        return try openPostgres()
    }

    /// The PostgreSQL store the URL names; its errors name the server, never the password.
    func openPostgres() throws -> PostgresStore {
        do {
            return try PostgresStore(try PostgresLocation(url: db))
        } catch {
            throw ValidationError("cannot open the PostgreSQL store: \(error)")
        }
    }

    /// The SQLite store, created when missing: for importing leads, which is how a store begins,
    /// and for the scheduler, which owns it.
    private func open() throws -> SQLiteStore {
        do {
            return try SQLiteStore(path: db)
        } catch {
            throw ValidationError("cannot open \(db): \(error)")
        }
    }

    /// The store, which must exist: the other commands read or add to one that holds leads, and a
    /// mistyped path would otherwise leave a new, empty store behind and report on it.
    private func openExisting() throws -> SQLiteStore {
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
    private func openForSending() throws -> SQLiteStore {
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
