import Dispatch
import Foundation
import NurtureStore
import Synchronization

/// The relay connections' outcomes, committed together.
///
/// Each connection hands its send's outcome here the moment the relay answers and waits until a
/// transaction holding it has committed; only then does it take its next message. So a crash can
/// still lose at most the sends in flight, one per connection, and nothing is recorded as sent
/// before the relay took it. What changes is the commit's cost: the outcomes handed over while a
/// commit is under way are committed together next, by the connection that handed over the first
/// of them (`OutcomeCommitQueue` decides who commits what and who is woken). With C connections a
/// commit holds up to C outcomes, one flush of the database's log for all of them.
///
/// The callers are the connections' own threads (`SMTPSender`), never Swift's shared ones, so
/// they may block while they wait. A batch that fails is recorded again one outcome at a time, so
/// that each caller gets its own outcome's error and no other.
final class OutcomeCommit: Sendable {
    private let store: any TrackingStore
    private let clock: any SchedulerClock
    private let state = Mutex(OutcomeCommitQueue<Waiter>())

    init(store: any TrackingStore, clock: any SchedulerClock) {
        self.store = store
        self.clock = clock
    }

    /// Records `record` in a transaction shared with other callers'; returns once it committed.
    func record(_ record: OutcomeRecord) throws {
        let waiter = Waiter(record)
        var batch: [Waiter]
        switch state.withLock({ $0.submit(waiter) }) {
        case let .commit(alone):
            batch = alone
        case .wait:
            switch waiter.wait() {
            case let .done(result): return try result.get()
            case let .commit(queued): batch = queued
            }
        }
        let results = commit(batch.map(\.record))
        let finish = state.withLock { $0.finish() }
        if let next = finish?.next { next[0].wake(.commit(next)) }
        for (waiter, result) in zip(batch, results).dropFirst() { waiter.wake(.done(result)) }
        try results[0].get()
    }

    private func commit(_ records: [OutcomeRecord]) -> [Result<Void, any Error>] {
        do {
            try store.record(records, now: clock.now())
            return records.map { _ in .success(()) }
        } catch where records.count > 1 {
            return records.map { record in Result { try store.record([record], now: clock.now()) } }
        } catch {
            return [.failure(error)]
        }
    }

    /// One caller's outcome, and the one wake-up it gets while it waits.
    final class Waiter: Sendable {
        enum Wake: Sendable {
            /// Its outcome's batch ended so.
            case done(Result<Void, any Error>)
            /// Commit this batch, which starts with its outcome.
            case commit([Waiter])
        }

        let record: OutcomeRecord
        private let woken = DispatchSemaphore(value: 0)
        private let mail = Mutex<Wake?>(nil)

        init(_ record: OutcomeRecord) { self.record = record }

        func wake(_ wake: Wake) {
            mail.withLock { mail in
                precondition(mail == nil, "an outcome's owner was woken twice")
                mail = wake
            }
            woken.signal()
        }

        /// Takes the wake-up out of the box: a `.commit` batch starts with this waiter, and left in
        /// its own box it would keep itself and its batch alive for ever.
        func wait() -> Wake {
            woken.wait()
            return mail.withLock { $0.take()! }
        }
    }
}
