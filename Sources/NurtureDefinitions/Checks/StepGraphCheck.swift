import NurtureCore
import Yams

/// Checks on a sequence's step graph: every step reachable from the first; no loop that can run
/// without time passing; no loop that would send the same email twice.
enum StepGraphCheck {
    static func check(_ sequence: NurtureSequence, stepNodes: [Node], reader: inout NodeReader) {
        let steps = sequence.steps
        guard !steps.isEmpty, stepNodes.count == steps.count else { return }

        var reached = Set<Int>([0]), frontier = [0]
        while let index = frontier.popLast() {
            for next in steps[index].successors where reached.insert(next).inserted { frontier.append(next) }
        }
        // The enrollment ends the moment its last step runs, so nothing listens for reactions to a
        // final email: its opens and clicks cannot reach a threshold or an exit.
        if !sequence.thresholds.isEmpty {
            for index in steps.indices where reached.contains(index) && steps[index].next == nil {
                guard case .email = steps[index].kind else { continue }
                reader.warning(
                    "the sequence ends as soon as email '\(steps[index].id)' is sent, so its thresholds never see reactions to it; add a wait after it",
                    at: stepNodes[index])
            }
        }
        for index in steps.indices where !reached.contains(index) {
            reader.error("step '\(steps[index].id)' can never be reached from the first step", at: stepNodes[index])
        }

        for component in stronglyConnectedComponents(steps) {
            let names = component.sorted().map { steps[$0].id }.joined(separator: " -> ")
            let first = component.min()!
            if !component.contains(where: { steps[$0].pauses }) {
                reader.error("steps \(names) form a loop with no wait: it would run without end", at: stepNodes[first])
            } else if let email = component.sorted().first(where: { if case .email = steps[$0].kind { true } else { false } }) {
                reader.error(
                    "steps \(names) form a loop through email '\(steps[email].id)': a lead would get the same email twice",
                    at: stepNodes[email])
            }
        }
    }

    /// Components of the step graph that contain a cycle (Tarjan's algorithm).
    static func stronglyConnectedComponents(_ steps: [Step]) -> [[Int]] {
        var index = 0
        var indices = [Int?](repeating: nil, count: steps.count)
        var lowLinks = [Int](repeating: 0, count: steps.count)
        var onStack = [Bool](repeating: false, count: steps.count)
        var stack: [Int] = []
        var result: [[Int]] = []

        func visit(_ node: Int) {
            indices[node] = index
            lowLinks[node] = index
            index += 1
            stack.append(node)
            onStack[node] = true
            for next in steps[node].successors {
                if indices[next] == nil {
                    visit(next)
                    lowLinks[node] = min(lowLinks[node], lowLinks[next])
                } else if onStack[next] {
                    lowLinks[node] = min(lowLinks[node], indices[next]!)
                }
            }
            guard lowLinks[node] == indices[node] else { return }
            var component: [Int] = []
            while let top = stack.popLast() {
                onStack[top] = false
                component.append(top)
                if top == node { break }
            }
            if component.count > 1 || steps[node].successors.contains(node) { result.append(component) }
        }
        for node in steps.indices where indices[node] == nil { visit(node) }
        return result
    }
}
