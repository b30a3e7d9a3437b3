import PostgresNIO
import Synchronization

/// The attempts under way on each of a store's connections, each told if its connection closes.
///
/// A connection's `closeFuture` keeps every callback added to it until the connection closes, and
/// a pooled connection stays open for as long as work keeps coming: a callback per attempt grew
/// each busy connection's list by one for every statement a worker ran, without bound (millions a
/// day). So each connection gets one callback, added the first time an attempt runs on it, and the
/// attempts come and go in this table. What it holds is bounded by the open connections and the
/// attempts under way on them; a connection's row leaves with its close.
final class ConnectionCloseWatch: Sendable {
    private let watched = Mutex<[PostgresConnection.ID: [ObjectIdentifier: @Sendable () -> Void]]>([:])

    init() {}

    /// Calls `onClose` once if `connection` closes (or has closed) before `forget(_:on:)` is called
    /// for `attempt`. An attempt is watched on one connection at a time.
    func watch(_ connection: PostgresConnection, for attempt: ObjectIdentifier, onClose: @escaping @Sendable () -> Void) {
        let id = connection.id
        let firstOnConnection = watched.withLock { table in
            let first = table[id] == nil
            table[id, default: [:]][attempt] = onClose
            return first
        }
        guard firstOnConnection else { return }
        // Runs at once if the connection has closed already; then a later watch adds a new one.
        connection.closeFuture.whenComplete { _ in
            let waiting = self.watched.withLock { $0.removeValue(forKey: id) } ?? [:]
            for onClose in waiting.values { onClose() }
        }
    }

    /// Stops watching `attempt`: it has ended.
    func forget(_ attempt: ObjectIdentifier, on connection: PostgresConnection) {
        _ = watched.withLock { $0[connection.id]?.removeValue(forKey: attempt) }
    }

    /// The connections watched and the attempts watched on them, for tests.
    var size: (connections: Int, attempts: Int) {
        watched.withLock { table in (table.count, table.values.reduce(0) { $0 + $1.count }) }
    }
}
