import Foundation
import GRDB

/// Small writes from many concurrent callers, committed together: each caller queues its write
/// and waits; one of them (the leader) runs every queued write in one transaction, each in its
/// own savepoint, commits, and wakes them all. A caller returns only after the transaction that
/// holds its write has committed, so an answer sent then is as durable as one after its own
/// commit, while the commit's cost (WAL frames for the same few pages, the write lock) is paid
/// once per batch instead of once per write. Writes queued while a batch commits form the next.
///
/// A write that throws is rolled back alone (its savepoint) and its caller gets the error; a
/// failed commit fails every write of its batch.
final class GroupCommit: @unchecked Sendable {
    /// The most writes one transaction holds: a longer queue is committed in several.
    static let maxBatch = 256

    private final class Job {
        let work: (Database) throws -> Void
        var failure: (any Error)?
        var done = false

        init(_ work: @escaping (Database) throws -> Void) { self.work = work }
    }

    private let pool: DatabasePool
    /// Guards `queue`, `leading` and every job's `failure` and `done`.
    private let condition = NSCondition()
    private var queue: [Job] = []
    private var leading = false

    init(pool: DatabasePool) { self.pool = pool }

    /// Runs `work` in a transaction shared with other callers' writes; returns once it committed.
    func write<T>(_ work: @escaping (Database) throws -> T) throws -> T {
        var value: T?
        let job = Job { db in value = try work(db) }
        condition.lock()
        queue.append(job)
        while !job.done {
            if leading {
                condition.wait()
                continue
            }
            leading = true
            let batch = Array(queue.prefix(Self.maxBatch))
            queue.removeFirst(batch.count)
            condition.unlock()
            let failure = commit(batch)
            condition.lock()
            for finished in batch {
                if let failure { finished.failure = failure }
                finished.done = true
            }
            leading = false
            condition.broadcast()
        }
        condition.unlock()
        if let failure = job.failure { throw failure }
        // Set by `work` on the leader's thread before the lock handed `done` to this one.
        return value!
    }

    /// Runs a batch in one transaction; the error that failed the whole transaction, if any.
    private func commit(_ batch: [Job]) -> (any Error)? {
        do {
            try pool.write { db in
                for job in batch {
                    do {
                        try db.inSavepoint {
                            try job.work(db)
                            return .commit
                        }
                    } catch {
                        job.failure = error
                    }
                }
            }
            return nil
        } catch {
            return error
        }
    }
}
