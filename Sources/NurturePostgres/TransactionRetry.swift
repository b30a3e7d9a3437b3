/// When a failed transaction is run again: a pure policy, so that it can be tested on its own.
///
/// A serialization failure or a deadlock (SQLSTATE 40001, 40P01) means PostgreSQL chose this
/// transaction to give way; running it again is what PostgreSQL asks for. A lost connection
/// (the server restarted, a failover, a network blip) leaves the transaction rolled back, so it is
/// safe to run again on a fresh connection. Anything else (a constraint, bad SQL, a bad password)
/// would fail the same way again, and is reported at once.
public enum TransactionRetry {
    /// Why a transaction failed, as far as retrying is concerned.
    public enum Failure: Sendable, Equatable {
        /// PostgreSQL gave way to another transaction: serialization failure or deadlock.
        case conflict
        /// The connection was lost or could not be made.
        case connection
        /// Anything else.
        case other
    }

    /// Conflicts resolve in milliseconds: a few quick tries. A restarting server takes seconds:
    /// tries spaced out to about a minute in all, so a scheduler rides out a restart.
    public static let maximumConflictAttempts = 10
    public static let maximumConnectionAttempts = 12

    /// The pause before attempt `attempt + 1` after attempt `attempt` (1-based) failed so; nil to give up.
    public static func pause(afterFailedAttempt attempt: Int, failure: Failure) -> Duration? {
        switch failure {
        case .other:
            return nil
        case .conflict:
            guard attempt < maximumConflictAttempts else { return nil }
            // 2, 4, 8 ... ms, capped at 100 ms: enough for the other transaction to commit.
            return .milliseconds(min(100, 1 << min(attempt, 7)))
        case .connection:
            guard attempt < maximumConnectionAttempts else { return nil }
            // 100 ms doubling to 8 s: about a minute across all attempts.
            return .milliseconds(min(8000, 100 << min(attempt - 1, 7)))
        }
    }

    /// The failure a SQLSTATE stands for: class 40 (transaction rollback) conflicts, class 08
    /// (connection exception) and 57P01-57P03 (the server shutting down or starting) as connection losses.
    public static func failure(sqlState: String) -> Failure {
        switch sqlState {
        case "40001", "40P01": .conflict
        case "57P01", "57P02", "57P03": .connection
        case _ where sqlState.hasPrefix("08"): .connection
        default: .other
        }
    }
}
