/// Parses the condition language into a ``Condition``.
///
/// Grammar (`and` binds tighter than `or`):
///
///     condition := conjunction ("or" conjunction)*
///     conjunction := negation ("and" negation)*
///     negation := "not" negation | "(" condition ")" | term
///     term := name [ "(" word ")" ] [ comparison value | ["not"] "in" "[" value ("," value)* "]" ]
///
/// Errors carry the character offset at which they were found, so the definitions loader can
/// point at the exact column in the YAML file.
public struct ConditionParser {
    public struct Failure: Error, Hashable, Sendable, CustomStringConvertible {
        public var message: String
        /// Offset in characters from the start of the condition text.
        public var offset: Int
        public var description: String { message }
    }

    enum Token: Equatable {
        case word(String)
        case number(Double)
        case string(String)
        case symbol(String)
        case end

        var display: String {
            switch self {
            case let .word(word): "'\(word)'"
            case let .number(number): "'\(Condition.number(number))'"
            case let .string(string): "\"\(string)\""
            case let .symbol(symbol): "'\(symbol)'"
            case .end: "the end of the condition"
            }
        }
    }

    private var tokens: [(token: Token, offset: Int)] = []
    private var index = 0

    public static func parse(_ text: String) throws(Failure) -> Condition {
        var parser = ConditionParser()
        parser.tokens = try tokenize(text)
        let condition = try parser.parseOr()
        if parser.current != .end {
            throw parser.failure("expected 'and', 'or' or the end of the condition, found \(parser.current.display)")
        }
        return condition
    }

    // MARK: Tokens

    static func tokenize(_ text: String) throws(Failure) -> [(token: Token, offset: Int)] {
        var result: [(Token, Int)] = []
        let chars = Array(text)
        var i = 0
        func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "-" || c == "." }
        while i < chars.count {
            let c = chars[i]
            let start = i
            if c.isWhitespace { i += 1; continue }
            if c.isNumber || (c == "-" && i + 1 < chars.count && chars[i + 1].isNumber) {
                i += 1
                while i < chars.count, chars[i].isNumber || chars[i] == "." { i += 1 }
                let literal = String(chars[start..<i])
                if i < chars.count, chars[i].isLetter || chars[i] == "_" {
                    // `3d` or `2nd-touch`: a word that starts with a digit.
                    while i < chars.count, isWordChar(chars[i]) { i += 1 }
                    result.append((.word(String(chars[start..<i])), start))
                    continue
                }
                guard let value = Double(literal) else {
                    throw Failure(message: "'\(literal)' is not a number", offset: start)
                }
                result.append((.number(value), start))
            } else if c.isLetter || c == "_" {
                while i < chars.count, isWordChar(chars[i]) { i += 1 }
                result.append((.word(String(chars[start..<i])), start))
            } else if c == "\"" || c == "'" {
                i += 1
                while i < chars.count, chars[i] != c { i += 1 }
                guard i < chars.count else { throw Failure(message: "unterminated string", offset: start) }
                result.append((.string(String(chars[(start + 1)..<i])), start))
                i += 1
            } else if "<>=!".contains(c) {
                i += 1
                if i < chars.count, chars[i] == "=" { i += 1 }
                let symbol = String(chars[start..<i])
                guard Condition.Comparison(rawValue: symbol) != nil else {
                    let hint = symbol == "=" ? " (use '==' to compare)" : ""
                    throw Failure(message: "unknown operator '\(symbol)'\(hint)", offset: start)
                }
                result.append((.symbol(symbol), start))
            } else if "()[],".contains(c) {
                result.append((.symbol(String(c)), start))
                i += 1
            } else if c == "&" || c == "|" {
                throw Failure(message: "unexpected '\(c)': write 'and' / 'or'", offset: start)
            } else {
                throw Failure(message: "unexpected character '\(c)'", offset: start)
            }
        }
        result.append((.end, chars.count))
        return result
    }

    private var current: Token { tokens[index].token }
    private var offset: Int { tokens[index].offset }

    private func failure(_ message: String) -> Failure { Failure(message: message, offset: offset) }

    private mutating func advance() { if index < tokens.count - 1 { index += 1 } }

    private mutating func expect(_ symbol: String, _ context: String) throws(Failure) {
        guard current == .symbol(symbol) else {
            throw failure("expected '\(symbol)' \(context), found \(current.display)")
        }
        advance()
    }

    private static let keywords: Set<String> = ["and", "or", "not", "in"]

    // MARK: Grammar

    private mutating func parseOr() throws(Failure) -> Condition {
        var result = try parseAnd()
        while current == .word("or") {
            advance()
            result = .or(result, try parseAnd())
        }
        return result
    }

    private mutating func parseAnd() throws(Failure) -> Condition {
        var result = try parseNot()
        while current == .word("and") {
            advance()
            result = .and(result, try parseNot())
        }
        return result
    }

    private mutating func parseNot() throws(Failure) -> Condition {
        if current == .word("not") {
            advance()
            return .not(try parseNot())
        }
        if current == .symbol("(") {
            advance()
            let inner = try parseOr()
            try expect(")", "to close the parenthesis")
            return inner
        }
        return try parseTerm()
    }

    private mutating func parseTerm() throws(Failure) -> Condition {
        guard case let .word(name) = current, !Self.keywords.contains(name) else {
            throw failure("expected a condition such as 'score >= 40' or 'clicked(pricing)', found \(current.display)")
        }
        let nameOffset = offset
        advance()

        if let activity = Condition.Activity(rawValue: name) {
            guard current == .symbol("(") else { return .activity(activity, category: nil) }
            guard activity.takesCategory else {
                throw failure("'\(name)' takes no category; write '\(name)' alone")
            }
            advance()
            guard case let .word(category) = current else {
                throw failure("expected a category inside '\(name)(...)', found \(current.display)")
            }
            advance()
            try expect(")", "after the category")
            return .activity(activity, category: category)
        }
        if current == .symbol("(") {
            throw Failure(
                message: "unknown function '\(name)'; expected one of clicked, visited, filled", offset: nameOffset)
        }

        var negated = false
        if current == .word("not") {
            advance()
            guard current == .word("in") else { throw failure("expected 'in' after 'not', found \(current.display)") }
            negated = true
        }
        if current == .word("in") {
            advance()
            let values = try parseList()
            return try member(name, values, negated: negated, at: nameOffset)
        }
        guard case let .symbol(symbol) = current, let comparison = Condition.Comparison(rawValue: symbol) else {
            if name == "score" || name == "engagement" || name == "fit_points" || name == "fit" || name == "stage" {
                throw failure("expected a comparison after '\(name)', found \(current.display)")
            }
            throw Failure(
                message: "unknown condition '\(name)'; expected score, engagement, fit, stage, opened, clicked, replied, visited, filled, or an attribute compared with a value",
                offset: nameOffset)
        }
        advance()
        let valueOffset = offset
        let value = current
        advance()

        if let metric = Condition.Metric(rawValue: name) {
            guard case let .number(number) = value else {
                throw Failure(message: "'\(name)' compares with a number, found \(value.display)", offset: valueOffset)
            }
            return .metric(metric, comparison, number)
        }
        switch (value, comparison) {
        case let (.number(number), _) where name != "fit" && name != "stage":
            return .attribute(name, comparison, number)
        case let (.word(word), .equal), let (.word(word), .notEqual),
            let (.string(word), .equal), let (.string(word), .notEqual):
            return try member(name, [word], negated: comparison == .notEqual, at: nameOffset)
        case (.end, _):
            throw Failure(message: "expected a value after '\(comparison.rawValue)'", offset: valueOffset)
        default:
            throw Failure(
                message: "'\(name)' can only be compared with '==', '!=' or 'in', not '\(comparison.rawValue)' \(value.display)",
                offset: valueOffset)
        }
    }

    private mutating func parseList() throws(Failure) -> [String] {
        try expect("[", "to open the list")
        var values: [String] = []
        while true {
            switch current {
            case let .word(word), let .string(word): values.append(word)
            case let .number(number): values.append(Condition.number(number))
            default: throw failure("expected a value in the list, found \(current.display)")
            }
            advance()
            if current == .symbol("]") { advance(); return values }
            try expect(",", "or ']' in the list")
        }
    }

    private func member(_ name: String, _ values: [String], negated: Bool, at offset: Int) throws(Failure) -> Condition {
        switch name {
        case "fit": return .member(.fit, Set(values), negated: negated)
        case "stage": return .member(.stage, Set(values), negated: negated)
        case "score", "engagement", "fit_points":
            throw Failure(message: "'\(name)' compares with a number, not a list", offset: offset)
        default: return .member(.attribute(name), Set(values.map { $0.lowercased() }), negated: negated)
        }
    }
}
