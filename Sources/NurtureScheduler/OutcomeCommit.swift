import Dispatch
import Foundation
import NurtureStore
import Synchronization

/// The relay connections' outcomes, committed together.
///
/// Each connection hands its send's outcome here the moment the relay answers and waits until a
/// transaction holding it has committed; only then does it take its next message. So a crash can
/// still lose at most the sends in flight, one per connection, and nothing is recorded as sent
/// before the relay took it. What changes is the commit's cost: the first caller to find no
/// commit under way commits what is queued (its own outcome and any that came in meanwhile); those
/// that arrive while it commits queue up, and the first of them commits them all next. With C
/// connections a commit holds up to C outcomes, one flush of the database's log for all of them.
///
/// A batch that fails is recorded again one outcome at a time, so that each caller gets its own
/// outcome's error and no other.
final class OutcomeCommit: Sendable {
    private let store: any TrackingStore
    private let clock: any SchedulerClock
    /// The outcomes waiting, and whether a caller is committing.
    private let state = Mutex<(queue: [Waiter], committing: Bool)>(([], false))

    init(store: any TrackingStore, clock: any SchedulerClock) {
        self.store = store
        self.clock = clock
    }

    /// Records `record` in a transaction shared with other callers'; returns once it committed.
    func record(_ record: OutcomeRecord) throws {
        let waiter = Waiter(record)
        let leads = state.withLock { state in
            state.queue.append(waiter)
            defer { state.committing = true }
            return !state.committing
        }
        if !leads {
            waiter.done.wait()
            guard waiter.leads else { return try waiter.result.get() }
        }
        commitQueued()
        try waiter.result.get()
    }

    /// Commits what is queued, then hands the next commit to the first caller queued meanwhile.
    private func commitQueued() {
        let batch = state.withLock { state in
            defer { state.queue.removeAll() }
            return state.queue
        }
        let results = commit(batch.map(\.record))
        for (waiter, result) in zip(batch, results) { waiter.result = result }
        let next = state.withLock { state -> Waiter? in
            guard let next = state.queue.first else {
                state.committing = false
                return nil
            }
            return next
        }
        if let next {
            next.leads = true
            next.done.signal()
        }
        for waiter in batch { waiter.done.signal() }
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

    /// One caller's outcome and what became of it. Written by the committing caller before it
    /// signals `done`, read by the owner after waking: the semaphore orders the two.
    private final class Waiter: @unchecked Sendable {
        let record: OutcomeRecord
        let done = DispatchSemaphore(value: 0)
        var result: Result<Void, any Error> = .success(())
        /// Woken to commit the queue rather than with a result of its own.
        var leads = false

        init(_ record: OutcomeRecord) { self.record = record }
    }
}
