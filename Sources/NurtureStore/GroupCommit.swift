import Dispatch
import GRDB
import Synchronization

/// Small writes from many concurrent callers, committed together.
///
/// Each caller queues its write and suspends; one writer thread runs every queued write in one
/// transaction, each in its own savepoint, commits, and resumes them all. A caller resumes only
/// after the transaction that holds its write has committed, so an answer sent then is as durable
/// as one after its own commit, while the commit's cost (WAL frames for the same few pages, the
/// write lock) is paid once per batch instead of once per write. No caller's thread blocks: a
/// thousand clicks in flight are a thousand suspended tasks, not a thousand waiting threads.
/// Writes queued while a batch commits form the next.
///
/// A write that throws is rolled back alone (its savepoint) and its caller gets the error; a
/// failed commit fails every write of its batch.
final class GroupCommit: Sendable {
    /// The most writes one transaction holds: a longer queue is committed in several.
    static let maxBatch = 256

    private struct Job: Sendable {
        /// Runs the write; its result waits in the job's own box until the commit.
        let work: @Sendable (Database) throws -> Void
        /// Resumes the caller: with nil once the batch committed, else with the error.
        let finish: @Sendable ((any Error)?) -> Void
    }

    private let pool: DatabasePool
    private let writer = DispatchQueue(label: "nurture.store.group-commit")
    /// The writes waiting, and whether the writer is draining them.
    private let state = Mutex<(queue: [Job], draining: Bool)>(([], false))

    init(pool: DatabasePool) { self.pool = pool }

    /// Runs `work` in a transaction shared with other callers' writes; returns once it committed.
    func write<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let result = ResultBox<T>()
            let job = Job(work: { db in result.value = try work(db) }) { failure in
                if let failure { continuation.resume(throwing: failure) } else { continuation.resume(returning: result.value!) }
            }
            let start = state.withLock { state in
                state.queue.append(job)
                defer { state.draining = true }
                return !state.draining
            }
            if start { writer.async { self.drain() } }
        }
    }

    /// On the writer's queue: commits batches until none is waiting.
    private func drain() {
        while true {
            let batch = state.withLock { state in
                let batch = Array(state.queue.prefix(Self.maxBatch))
                state.queue.removeFirst(batch.count)
                if batch.isEmpty { state.draining = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            let failures = commit(batch)
            for (job, failure) in zip(batch, failures) { job.finish(failure) }
        }
    }

    /// Runs a batch in one transaction; each write's error, or the commit's for all of them.
    private func commit(_ batch: [Job]) -> [(any Error)?] {
        var failures = [(any Error)?](repeating: nil, count: batch.count)
        do {
            try pool.write { db in
                for (index, job) in batch.enumerated() {
                    do {
                        try db.inSavepoint {
                            try job.work(db)
                            return .commit
                        }
                    } catch {
                        failures[index] = error
                    }
                }
            }
        } catch {
            return Array(repeating: error, count: batch.count)
        }
        return failures
    }
}

/// A write's result between the writer running it and its caller resuming. Set once on the
/// writer's queue, read once after the commit has resumed the caller: the continuation orders the
/// two, so no lock is needed.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
