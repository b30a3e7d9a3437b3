import NurtureCore

/// The step graph as Mermaid or Graphviz DOT, for docs and review.
public struct SequenceDiagram {
    public let sequence: NurtureSequence

    public init(sequence: NurtureSequence) { self.sequence = sequence }

    /// Each edge: from step, to step (nil = end), label.
    var edges: [(from: Int, to: Int?, label: String)] {
        sequence.steps.enumerated().flatMap { index, step -> [(Int, Int?, String)] in
            switch step.kind {
            case .end, .handOff: return []
            case let .waitFor(condition, upTo, onEvent):
                return [(index, onEvent, "\(condition)"), (index, step.next, "after \(upTo)")]
            case let .branch(cases, otherwise):
                return cases.map { (index, $0.goto, "\($0.condition)") } + [(index, otherwise, "otherwise")]
            default:
                return [(index, step.next, "")]
            }
        }
    }

    func label(_ step: Step) -> String {
        switch step.kind {
        case let .email(template): "email: \(template)"
        case let .wait(span): "wait \(span)"
        case let .waitFor(_, upTo, _): "wait up to \(upTo)"
        case .branch: "branch"
        case let .score(points, _): "score \(points >= 0 ? "+" : "")\(Condition.number(points))"
        case .repTask: "rep task"
        case .notifyRep: "notify rep"
        case .handOff: "hand off"
        case .end: "end"
        }
    }

    public var mermaid: String {
        var lines = ["flowchart TD"]
        for (index, step) in sequence.steps.enumerated() {
            let text = "\(step.id)<br/>\(label(step))".replacingOccurrences(of: "\"", with: "'")
            let shape = if case .branch = step.kind { "{\"\(text)\"}" } else { "[\"\(text)\"]" }
            lines.append("  s\(index)\(shape)")
        }
        lines.append("  done([end])")
        for edge in edges {
            let target = edge.to.map { "s\($0)" } ?? "done"
            let label = edge.label.isEmpty ? "" : "|\"\(edge.label.replacingOccurrences(of: "\"", with: "'"))\"|"
            lines.append("  s\(edge.from) -->\(label) \(target)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public var dot: String {
        func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
        var lines = ["digraph \(quoted(sequence.id)) {", "  rankdir=TB;", "  node [shape=box, fontname=\"Helvetica\"];"]
        for (index, step) in sequence.steps.enumerated() {
            let shape = if case .branch = step.kind { ", shape=diamond" } else { "" }
            lines.append("  s\(index) [label=\(quoted("\(step.id)\n\(label(step))"))\(shape)];")
        }
        lines.append("  done [label=\"end\", shape=oval];")
        for edge in edges {
            let label = edge.label.isEmpty ? "" : " [label=\(quoted(edge.label))]"
            lines.append("  s\(edge.from) -> \(edge.to.map { "s\($0)" } ?? "done")\(label);")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
}
