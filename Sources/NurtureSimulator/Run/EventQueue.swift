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
        // A prospect's run usually drains the heap: clearing an empty one would still cost a call.
        if !heap.isEmpty { heap.removeAll(keepingCapacity: true) }
        pending.removeAll(keepingCapacity: true)
    }

    /// Earlier time first; at the same time, the one pushed first.
    private static func earlier(_ a: (at: Date, number: Int), _ b: (at: Date, number: Int)) -> Bool {
        a.at < b.at || (a.at == b.at && a.number < b.number)
    }

    mutating func push(
        _ kind: EngagementEvent.Kind, category: Int = -1, at time: Date, step: Int = -1, machine: Bool = false
    ) {
        let entry = (at: time, number: pending.count)
        pending.append(Pending(kind: kind, category: category, step: step, machine: machine))
        // Parents later than the new entry move down into the hole it leaves, and it fills the last one.
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.earlier(entry, heap[parent]) else { break }
            heap[child] = heap[parent]
            child = parent
        }
        heap[child] = entry
    }

    mutating func pop() -> (at: Date, pending: Pending)? {
        guard let last = heap.popLast() else { return nil }
        guard !heap.isEmpty else { return (last.at, pending[last.number]) }
        let top = heap[0]
        // The last entry sifts down from the top: earlier children move up into the hole instead.
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            guard left < heap.count else { break }
            let child = right < heap.count && Self.earlier(heap[right], heap[left]) ? right : left
            guard Self.earlier(heap[child], last) else { break }
            heap[parent] = heap[child]
            parent = child
        }
        heap[parent] = last
        return (top.at, pending[top.number])
    }
}
