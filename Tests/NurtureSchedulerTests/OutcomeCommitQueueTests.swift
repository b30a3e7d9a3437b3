import PropertyBased
import Testing
@testable import NurtureScheduler

/// `OutcomeCommitQueue` under any interleaving of connections handing over outcomes and commits
/// ending, then a stop (no more hand-overs, the commits under way run out): every outcome is
/// committed in exactly one batch, its owner is woken exactly once and only after that batch ended,
/// and nobody is left waiting.
@Suite struct OutcomeCommitQueueTests {
    /// Connections 0..<connections; a step `c < connections` is connection c handing over its next
    /// outcome (skipped while it waits or commits), `connections` is the commit under way ending.
    struct Scenario: CustomStringConvertible {
        var connections: Int
        var steps: [Int]
        var description: String { "\(connections) connections, steps \(steps)" }
    }

    static var scenarios: Generator<Scenario, some Sequence & SendableMetatype> {
        zip(Gen.int(in: 1...6), Gen.int(in: 0...6).array(of: 0...120))
            .map { connections, steps in Scenario(connections: connections, steps: steps.map { $0 % (connections + 1) }) }
    }

    /// What each connection is doing, as the machine's answers say.
    enum Doing: Equatable { case free, waiting(Int), committing([Int]) }

    struct Run {
        var machine = OutcomeCommitQueue<Int>()
        var doing: [Doing]
        var owner: [Int: Int] = [:]
        var wakes: [Int: Int] = [:]
        var committed: [Int: Int] = [:]
        var problems: [String] = []

        init(connections: Int) { doing = Array(repeating: .free, count: connections) }

        mutating func submit(by connection: Int, ticket: Int) {
            guard doing[connection] == .free else { return }
            owner[ticket] = connection
            switch machine.submit(ticket) {
            case let .commit(batch):
                if batch != [ticket] { problems.append("\(ticket) leads \(batch), not itself alone") }
                doing[connection] = .committing(batch)
            case .wait:
                doing[connection] = .waiting(ticket)
            }
        }

        mutating func finish() {
            guard let committer = doing.firstIndex(where: { if case .committing = $0 { true } else { false } }) else {
                if machine.finish() != nil { problems.append("a commit ended that nobody was doing") }
                return
            }
            guard case let .committing(batch) = doing[committer] else { return }
            guard let finish = machine.finish() else {
                problems.append("connection \(committer)'s commit of \(batch) was not under way")
                return
            }
            for ticket in batch { committed[ticket, default: 0] += 1 }
            doing[committer] = .free
            if finish.resume != Array(batch.dropFirst()) { problems.append("woke \(finish.resume) after \(batch)") }
            for ticket in finish.resume { wake(ticket, to: .free) }
            if let next = finish.next { wake(next[0], to: .committing(next)) }
        }

        mutating func wake(_ ticket: Int, to next: Doing) {
            wakes[ticket, default: 0] += 1
            guard let connection = owner[ticket], doing[connection] == .waiting(ticket) else {
                problems.append("woke \(ticket), whose owner was not waiting for it")
                return
            }
            doing[connection] = next
        }
    }

    @Test func everyOutcomeIsCommittedOnceAndItsOwnerWokenOnce() async {
        await propertyCheck(count: 400, input: Self.scenarios) { scenario in
            var run = Run(connections: scenario.connections)
            var tickets = 0
            for step in scenario.steps {
                if step == scenario.connections {
                    run.finish()
                } else if run.doing[step] == .free {
                    run.submit(by: step, ticket: tickets)
                    tickets += 1
                }
            }
            // Stopped: nothing more is handed over; the commits under way run out.
            var rounds = 0
            while run.machine.committing != nil, rounds <= tickets {
                run.finish()
                rounds += 1
            }
            #expect(run.problems.isEmpty, "\(run.problems)")
            #expect(run.doing.allSatisfy { $0 == .free }, "left waiting or committing: \(run.doing)")
            #expect(run.machine.queued.isEmpty && run.machine.committing == nil)
            #expect((0..<tickets).allSatisfy { run.committed[$0] == 1 }, "each outcome in exactly one commit: \(run.committed)")
            // Woken once, unless it committed its own batch from the start.
            #expect(run.wakes.values.allSatisfy { $0 == 1 }, "woken more than once: \(run.wakes.filter { $0.value > 1 })")
        }
    }

    @Test func outcomesHandedOverDuringACommitAreTheNextBatchCommittedByTheFirst() {
        var machine = OutcomeCommitQueue<Int>()
        guard case .commit([1]) = machine.submit(1) else { Issue.record("the first leads"); return }
        guard case .wait = machine.submit(2), case .wait = machine.submit(3) else { Issue.record("the others wait"); return }
        let first = machine.finish()
        #expect(first?.resume == [] && first?.next == [2, 3])
        let second = machine.finish()
        #expect(second?.resume == [3] && second?.next == nil)
        #expect(machine.finish() == nil, "no commit under way")
        guard case .commit([4]) = machine.submit(4) else { Issue.record("idle again: the next leads"); return }
    }
}
