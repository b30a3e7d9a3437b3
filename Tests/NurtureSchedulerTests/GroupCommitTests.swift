import Foundation
@testable import NurtureStore
import Synchronization
import Testing

/// Results recorded at the same moment share a commit, and nobody is told "recorded" before their
/// own result is committed.
@Suite struct GroupCommitTests {
    struct Failed: Error {}

    /// What the commits saw, shared by the writing threads.
    final class Log: Sendable {
        let committed = Mutex<(items: [Int], batches: Int)>(([], 0))
        let early = Atomic<Int>(0)
        let outcomes = Mutex<[Int: Bool]>([:])
        let failedBatches = Mutex<[[Int]]>([])
    }

    /// Runs `body` on `count` threads of its own (not the test's task pool, which may run them
    /// one after another), and waits for all of them.
    static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let finished = DispatchGroup()
        for thread in 0..<count {
            finished.enter()
            Thread.detachNewThread {
                body(thread)
                finished.leave()
            }
        }
        finished.wait()
    }

    @Test func everyWriteIsCommittedOnceBeforeItsCallerReturns() {
        let group = GroupCommit<Int>()
        let log = Log()
        Self.onThreads(8) { thread in
            for number in 0..<100 {
                let item = thread * 1000 + number
                try? group.submit(item) { batch in
                    Thread.sleep(forTimeInterval: 0.0005)  // a commit takes time: others queue up
                    log.committed.withLock { $0.items += batch; $0.batches += 1 }
                }
                if !log.committed.withLock({ $0.items.contains(item) }) { log.early.add(1, ordering: .relaxed) }
            }
        }
        let (items, batches) = log.committed.withLock { $0 }
        #expect(items.count == 800 && Set(items).count == 800)
        #expect(log.early.load(ordering: .relaxed) == 0, "a caller returned before its write was committed")
        #expect(batches < 800, "writes that arrived together shared commits (\(batches) commits)")
    }

    @Test func aFailedCommitFailsEveryCallerInItsBatchAndNoOther() {
        let group = GroupCommit<Int>()
        let log = Log()
        Self.onThreads(6) { thread in
            for number in 0..<50 {
                let item = thread * 1000 + number
                do {
                    try group.submit(item) { batch in
                        Thread.sleep(forTimeInterval: 0.0003)
                        if batch.contains(where: { $0 % 7 == 0 }) {
                            log.failedBatches.withLock { $0.append(batch) }
                            throw Failed()
                        }
                    }
                    log.outcomes.withLock { $0[item] = true }
                } catch {
                    log.outcomes.withLock { $0[item] = false }
                }
            }
        }
        let failedItems = Set(log.failedBatches.withLock { $0 }.flatMap { $0 })
        let outcome = log.outcomes.withLock { $0 }
        #expect(outcome.count == 300)
        for (item, succeeded) in outcome {
            #expect(succeeded == !failedItems.contains(item), "item \(item)")
        }
    }
}
