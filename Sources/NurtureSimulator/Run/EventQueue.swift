import Foundation
import NurtureCore

/// A prospect's pending behaviour, earliest first: a small binary heap. Ties keep insertion order,
/// so runs are reproducible.
struct EventQueue {
    /// An event still to happen: its kind, its category as an index in the persona's click or page
    /// mix (by kind; -1 for none), the step of the email it responds to (-1 for none), and whether a
    /// machine rather than a person produced it. Plain integers with no strings, so that queueing,
    /// popping and clearing copy and free nothing; the run makes the event itself when it is due.
    struct Pending {
        var kind: EngagementEvent.Kind
        var category: Int
        var step: Int
        var machine: Bool
    }

    /// Events in the order they were pushed; the heap orders their numbers, so that sifting moves
    /// two words instead of a whole event.
    private var pending: [Pending] = []
    private var heap: [(at: Date, number: Int)] = []

    var isEmpty: Bool { heap.isEmpty }
    var nextTime: Date? { heap.first?.at }

    mutating func removeAll() {
        heap.removeAll(keepingCapacity: true)
        pending.removeAll(keepingCapacity: true)
    }

    /// Earlier time first; at the same time, the one pushed first.
    private func earlier(_ a: Int, _ b: Int) -> Bool {
        heap[a].at < heap[b].at || (heap[a].at == heap[b].at && heap[a].number < heap[b].number)
    }

    mutating func push(
        _ kind: EngagementEvent.Kind, category: Int = -1, at time: Date, step: Int = -1, machine: Bool = false
    ) {
        heap.append((time, pending.count))
        pending.append(Pending(kind: kind, category: category, step: step, machine: machine))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard earlier(child, parent) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (at: Date, pending: Pending)? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, earlier(left, smallest) { smallest = left }
            if right < heap.count, earlier(right, smallest) { smallest = right }
            guard smallest != parent else { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return (top.at, pending[top.number])
    }
}
