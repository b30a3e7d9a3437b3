import Foundation
import NurturePostgres
import NurtureStore
import NurtureTestSupport
import Testing

/// The two stores behind the same protocols: each test of the store suite runs on both.
enum StoreBackEnd: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case sqlite, postgres

    /// SQLite always; PostgreSQL when the test script started one, and always under CI (where a
    /// missing server then fails the test instead of leaving it out).
    static var inUse: [StoreBackEnd] { TestPostgres.inUse ? [.sqlite, .postgres] : [.sqlite] }

    var testDescription: String { rawValue }

    /// A new, empty store.
    func open() throws -> OpenedStore {
        switch self {
        case .sqlite:
            let folder = try TemporaryFolder.make("nurture-store")
            let path = folder.appendingPathComponent("nurture.sqlite").path
            return OpenedStore(store: try SQLiteStore(path: path), reopen: { try SQLiteStore(path: path) }, remove: { TemporaryFolder.remove(folder) })
        case .postgres:
            let url = try TestPostgres.freshDatabase()
            let location = try PostgresLocation(url: url)
            return OpenedStore(store: try PostgresStore(location), reopen: { try PostgresStore(location) }, remove: { TestPostgres.drop(url) })
        }
    }
}

/// A store a test opened, the way to open it again (as another process would), and its removal.
final class OpenedStore {
    let store: any SharedStore
    private let reopenStore: () throws -> any SharedStore
    private let remove: () -> Void
    private var others: [any SharedStore] = []

    init(store: any SharedStore, reopen: @escaping () throws -> any SharedStore, remove: @escaping () -> Void) {
        self.store = store
        reopenStore = reopen
        self.remove = remove
    }

    /// Another handle on the same store: another connection pool, as a second process has.
    func another() throws -> any SharedStore {
        let other = try reopenStore()
        others.append(other)
        return other
    }

    deinit {
        for case let store as PostgresStore in others + [store] { store.close() }
        remove()
    }
}
