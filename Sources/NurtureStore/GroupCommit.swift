import Dispatch
import Synchronization

/// Writes that callers on several threads make at the same moment, committed together.
///
/// Each caller returns only once its own write is committed, as if it had a transaction of its
/// own, so nothing is acknowledged before it is durable; but a burst of writes costs one commit
/// instead of one each (SQLite then writes each changed page once). One caller at a time leads:
/// it commits everything queued so far, its own write included, and hands the lead to the first
/// caller still waiting, so that no caller waits longer than one commit behind its own.
final class GroupCommit<Item: Sendable>: Sendable {
    private let queue = Mutex<(waiting: [Entry], leading: Bool)>(([], false))

    /// Queues `item` and returns once it is committed; `commit` writes a batch in one transaction.
    /// Throws what `commit` threw for the batch the item was in.
    func submit(_ item: Item, commit: ([Item]) throws -> Void) throws {
        let entry = Entry(item)
        let leads = queue.withLock { queue in
            queue.waiting.append(entry)
            if queue.leading { return false }
            queue.leading = true
            return true
        }
        if !leads {
            entry.done.wait()
            switch entry.outcome {
            case .committed: return
            case let .failed(error): throw error
            case .lead: break
            }
        }
        let batch = queue.withLock { queue in
            defer { queue.waiting.removeAll() }
            return queue.waiting
        }
        var failure: (any Error)?
        do { try commit(batch.map(\.item)) } catch { failure = error }
        for other in batch where other !== entry {
            other.outcome = failure.map(Outcome.failed) ?? .committed
            other.done.signal()
        }
        let next = queue.withLock { queue in
            if queue.waiting.isEmpty { queue.leading = false }
            return queue.waiting.first
        }
        if let next {
            next.outcome = .lead
            next.done.signal()
        }
        if let failure { throw failure }
    }

    private enum Outcome {
        case committed, failed(any Error), lead
    }

    /// One caller's write. `outcome` is set by the leader before `done` is signalled, and read by
    /// the caller only after it is: the semaphore orders the two.
    private final class Entry: @unchecked Sendable {
        let item: Item
        let done = DispatchSemaphore(value: 0)
        var outcome = Outcome.committed

        init(_ item: Item) { self.item = item }
    }
}
