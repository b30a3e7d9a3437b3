import Foundation
import NurtureCore
@testable import NurtureSimulator
import Testing

/// A prospect's pending behaviour comes out earliest first, ties in the order they were queued.
@Suite("Event queue")
struct EventQueueTests {
    @Test("pops in time order, ties in insertion order, against a stable sort")
    func ordersLikeAStableSort() {
        var random = ProspectRandom(seed: 99, index: 0)
        for round in 0..<50 {
            var queue = EventQueue()
            var pushed: [(at: Date, order: Int)] = []
            let count = 1 + Int(random.uniform() * 40)
            for order in 0..<count {
                // Few distinct times, so ties are common.
                let at = Date(timeIntervalSince1970: Double(Int(random.uniform() * 8)) * 60)
                queue.push(.emailOpen, at: at, step: order)
                pushed.append((at, order))
            }
            let expected = pushed.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
                .map(\.element.order)
            var popped: [Int] = []
            while let next = queue.nextTime, let (at, pending) = queue.pop() {
                #expect(at == next)
                popped.append(pending.step)
            }
            #expect(popped == expected, "round \(round)")
            #expect(queue.isEmpty && queue.nextTime == nil && queue.pop() == nil)
        }
    }

    @Test("interleaved pushes and pops, and removeAll")
    func interleaved() {
        var queue = EventQueue()
        let base = Date(timeIntervalSince1970: 0)
        queue.push(.emailOpen, at: base.addingTimeInterval(10), step: 1)
        queue.push(.emailClick, at: base.addingTimeInterval(5), step: 2, machine: true)
        #expect(queue.pop()?.pending.step == 2)
        queue.push(.reply, at: base.addingTimeInterval(10), step: 3)
        queue.push(.unsubscribe, at: base.addingTimeInterval(1), step: 4)
        let first = queue.pop()
        #expect(first?.pending.step == 4 && first?.pending.kind == .unsubscribe && first?.pending.machine == false)
        #expect(queue.pop()?.pending.step == 1)
        #expect(queue.pop()?.pending.step == 3)
        queue.push(.emailOpen, at: base, step: 5)
        queue.removeAll()
        #expect(queue.isEmpty)
    }
}
