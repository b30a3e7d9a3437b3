extension Condition: CustomStringConvertible {
    /// The condition written back in the definition language, parenthesised where precedence needs it.
    public var description: String { render(parentPrecedence: 0) }

    private func render(parentPrecedence: Int) -> String {
        func wrap(_ text: String, _ precedence: Int) -> String {
            precedence < parentPrecedence ? "(\(text))" : text
        }
        switch self {
        case let .or(lhs, rhs):
            return wrap("\(lhs.render(parentPrecedence: 1)) or \(rhs.render(parentPrecedence: 1))", 1)
        case let .and(lhs, rhs):
            return wrap("\(lhs.render(parentPrecedence: 2)) and \(rhs.render(parentPrecedence: 2))", 2)
        case let .not(inner):
            return "not \(inner.render(parentPrecedence: 3))"
        case let .metric(metric, comparison, value):
            return "\(metric.rawValue) \(comparison.rawValue) \(Condition.number(value))"
        case let .attribute(name, comparison, value):
            return "\(name) \(comparison.rawValue) \(Condition.number(value))"
        case let .member(dimension, values, negated):
            let name = switch dimension {
            case .fit: "fit"
            case .stage: "stage"
            case let .attribute(attribute): attribute
            }
            let sorted = values.sorted().map(Condition.word)
            if sorted.count == 1 { return "\(name) \(negated ? "!=" : "==") \(sorted[0])" }
            return "\(name) \(negated ? "not in" : "in") [\(sorted.joined(separator: ", "))]"
        case let .activity(activity, category):
            return category.map { "\(activity.rawValue)(\($0))" } ?? activity.rawValue
        }
    }

    /// A number as definitions write it: `80`, not `80.0`.
    public static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    static func word(_ value: String) -> String {
        value.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } ? value : "\"\(value)\""
    }
}
