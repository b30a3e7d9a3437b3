import NurtureStore
import Testing
@testable import NurtureScheduler

/// A relay connection's wait in `OutcomeCommit` must leave nothing behind: a worker hands over one
/// outcome per message, for as long as it runs.
@Suite struct OutcomeCommitWaiterTests {
    static func record(_ key: String) -> OutcomeRecord {
        OutcomeRecord(key: key, outcome: .sent(messageID: "<\(key)@example.org>", code: 250, text: "OK"))
    }

    @Test("a waiter woken to commit its batch holds on to neither itself nor the batch once it has taken it")
    func commitWakeLeavesNoCycle() throws {
        weak var first: OutcomeCommit.Waiter?
        weak var second: OutcomeCommit.Waiter?
        do {
            let a = OutcomeCommit.Waiter(Self.record("a")), b = OutcomeCommit.Waiter(Self.record("b"))
            first = a
            second = b
            // The batch starts with the waiter woken to commit it, as `OutcomeCommitQueue` hands it out.
            a.wake(.commit([a, b]))
            guard case let .commit(batch) = a.wait() else {
                Issue.record("woken to commit, got something else")
                return
            }
            #expect(batch.map(\.record.key) == ["a", "b"])
            b.wake(.done(.success(())))
            guard case .done = b.wait() else {
                Issue.record("woken with a result, got something else")
                return
            }
        }
        #expect(first == nil, "the committer's waiter was freed")
        #expect(second == nil, "the batch's other waiter was freed")
    }
}
