import NurtureCore
import Yams

/// Checks what conditions refer to: stages and grades that exist, and score levels the scoring
/// rules can reach at all.
enum ConditionCheck {
    struct Limits {
        var stages: [String]
        var grades: [(name: String, minimum: Double)]
        var bestFit: Double
        /// Highest engagement any lead could hold; nil when unbounded.
        var engagementCeiling: Double?
    }

    static func check(_ condition: Condition, at node: Node, limits: Limits, reader: inout NodeReader) {
        for term in positiveTerms(condition) {
            switch term {
            case let .member(.stage, values, _):
                for value in values.sorted() where !limits.stages.contains(value) {
                    let hint = NodeReader.suggestion(for: value, among: limits.stages).map { "; did you mean '\($0)'?" } ?? ""
                    reader.report(.error, "unknown stage '\(value)' in condition\(hint)", at: place(of: value, in: node, reader))
                }
            case let .member(.fit, values, negated):
                let names = limits.grades.map(\.name)
                for value in values.sorted() where !names.contains(value) {
                    reader.report(
                        .error, "unknown fit grade '\(value)'; the grades are \(names.joined(separator: ", "))",
                        at: place(of: value, in: node, reader))
                }
                if !negated {
                    let reachable = limits.grades.filter { values.contains($0.name) && $0.minimum <= limits.bestFit }
                    if reachable.isEmpty, values.allSatisfy(names.contains) {
                        reader.error(
                            "no lead can reach fit \(values.sorted().joined(separator: " or ")): the fit rules give at most \(Condition.number(limits.bestFit)) points",
                            at: node)
                    }
                }
            case let .metric(metric, comparison, value):
                guard comparison == .greater || comparison == .greaterOrEqual || comparison == .equal else { continue }
                let ceiling: Double? = switch metric {
                case .fitPoints: limits.bestFit
                case .engagement: limits.engagementCeiling
                case .score: limits.engagementCeiling.map { $0 + limits.bestFit }
                }
                if let ceiling, value > ceiling || (comparison == .greater && value >= ceiling) {
                    reader.report(
                        .error,
                        "'\(term)' can never be true: the scoring rules cap \(metric.rawValue) at \(Condition.number(ceiling.rounded(.down)))",
                        at: place(of: metric.rawValue, in: node, reader))
                }
            default:
                continue
            }
        }
    }

    /// Where `word` is in the condition's text when it occurs there once as a whole word (so the
    /// diagnostic points at it); the condition's start otherwise.
    static func place(of word: String, in node: Node, _ reader: NodeReader) -> SourcePosition {
        guard case let .scalar(scalar) = node, !word.isEmpty else { return reader.position(node) }
        let text = Array(scalar.string), target = Array(word)
        func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "-" || c == "." }
        var found: [Int] = []
        if text.count >= target.count {
            for start in 0...(text.count - target.count) where Array(text[start..<(start + target.count)]) == target {
                let before = start == 0 || !isWordChar(text[start - 1])
                let after = start + target.count == text.count || !isWordChar(text[start + target.count])
                if before && after { found.append(start) }
            }
        }
        guard found.count == 1 else { return reader.position(node) }
        return reader.position(ofOffset: found[0], in: node)
    }

    /// Terms that must be true for the condition to hold in some case (not under a `not`).
    static func positiveTerms(_ condition: Condition) -> [Condition] {
        switch condition {
        case let .and(lhs, rhs), let .or(lhs, rhs): positiveTerms(lhs) + positiveTerms(rhs)
        case .not: []
        default: [condition]
        }
    }
}
