/// What ends one attempt of a transaction: its own result, or the close of its connection.
///
/// PostgresNIO fails the statements in flight when a connection closes, but a statement written
/// after the close is dropped with its result never given: its caller waits for ever. A server
/// restart can close the connection between two statements of a transaction (a COMMIT that fails
/// with 57P01, then the ROLLBACK after it), so the close must end the attempt too.
///
/// The close does not end it at once: the attempt's own result may already be on its way (a
/// COMMIT that succeeded just before the close), and reporting a lost connection instead would run
/// a committed transaction again. So the close starts a grace period; a result that arrives within
/// it wins, and only when it passes is the attempt reported as a lost connection, which
/// `TransactionRetry` runs again on a fresh connection.
///
/// A pure state machine: each event returns what to do, and the attempt is reported exactly once.
struct AttemptRace<Value: Sendable>: Sendable {
    /// How long a result may still arrive after the connection closed. Statements in flight are
    /// failed as the close is handled, so their results come within microseconds; a second leaves
    /// a wide margin on a loaded host and still ends a stuck attempt promptly.
    static var grace: Duration { .seconds(1) }

    enum Event {
        /// The attempt's work returned or threw.
        case finished(Result<Value, any Error>)
        /// The connection it runs on closed.
        case connectionClosed
        /// The grace period started by the close has passed.
        case graceOver
    }

    enum Action {
        /// Give this to the caller: the attempt is over.
        case report(Result<Value, any Error>)
        /// Wait for the work a little longer, then send `.graceOver`.
        case startGrace(Duration)
        /// Nothing to do.
        case none
    }

    private enum State {
        case running
        case closing
        case reported
    }

    private var state = State.running

    mutating func handle(_ event: Event) -> Action {
        switch (state, event) {
        case (.reported, _):
            return .none
        case (_, .finished(let result)):
            state = .reported
            return .report(result)
        case (.running, .connectionClosed):
            state = .closing
            return .startGrace(Self.grace)
        case (.closing, .connectionClosed), (.running, .graceOver):
            return .none
        case (.closing, .graceOver):
            state = .reported
            return .report(.failure(ConnectionClosedUnderAttempt()))
        }
    }
}

/// The error reported when the connection closed under an attempt that never finished.
struct ConnectionClosedUnderAttempt: Error, CustomStringConvertible {
    var description: String { "the connection closed during the transaction" }
}
