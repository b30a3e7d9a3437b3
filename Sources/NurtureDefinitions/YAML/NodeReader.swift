import Foundation
import NurtureCore
import Yams

/// Typed reading of a YAML node tree that never throws: every problem becomes a diagnostic at the
/// node's position, and the caller gets nil for that value and goes on, so one run reports all.
struct NodeReader {
    let file: String
    var diagnostics = Diagnostics()

    init(file: String) { self.file = file }

    // MARK: Reporting

    func position(_ node: Node) -> SourcePosition {
        SourcePosition(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    mutating func error(_ message: String, at node: Node) { report(.error, message, at: position(node)) }
    mutating func warning(_ message: String, at node: Node) { report(.warning, message, at: position(node)) }

    mutating func report(_ severity: Diagnostic.Severity, _ message: String, at position: SourcePosition) {
        diagnostics.append(Diagnostic(severity, file: position.file, line: position.line, column: position.column, message: message))
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        case let .scalar(scalar): scalar.string.isEmpty ? "nothing" : "'\(scalar.string)'"
        }
    }

    // MARK: Mappings

    /// A mapping's entries by key, after reporting unknown keys (with a suggestion for typos).
    mutating func mapping(_ node: Node, _ what: String, keys allowed: [String]) -> Fields? {
        guard case let .mapping(mapping) = node else {
            error("expected \(what) (a mapping of keys), found \(Self.describe(node))", at: node)
            return nil
        }
        var entries: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard case let .scalar(scalar) = key else {
                error("keys must be plain words", at: key)
                continue
            }
            let name = scalar.string
            if !allowed.contains(name) {
                let hint = Self.suggestion(for: name, among: allowed).map { "; did you mean '\($0)'?" }
                    ?? "; expected one of \(allowed.joined(separator: ", "))"
                error("unknown key '\(name)' in \(what)\(hint)", at: key)
                continue
            }
            entries[name] = (key, value)
        }
        return Fields(node: node, what: what, entries: entries)
    }

    /// The closest allowed word within two edits, for "did you mean".
    static func suggestion(for word: String, among candidates: [String]) -> String? {
        candidates.map { ($0, EditDistance.between(Array(word.lowercased()), Array($0))) }
            .filter { $0.1 <= max(1, min(2, word.count / 3)) }
            .min { $0.1 < $1.1 }?.0
    }

    mutating func required(_ fields: Fields, _ key: String) -> Node? {
        if let value = fields[key] { return value }
        error("\(fields.what) is missing '\(key)'", at: fields.node)
        return nil
    }

    // MARK: Scalars

    mutating func scalar(_ node: Node, _ what: String) -> Node.Scalar? {
        guard case let .scalar(scalar) = node, !(scalar.string.isEmpty && scalar.style == .plain) else {
            error("expected \(what), found \(Self.describe(node))", at: node)
            return nil
        }
        return scalar
    }

    mutating func string(_ node: Node, _ what: String) -> String? {
        scalar(node, what).map(\.string)
    }

    /// A word usable as an id: letters, digits, `-` and `_`.
    mutating func identifier(_ node: Node, _ what: String) -> String? {
        guard let text = string(node, what) else { return nil }
        guard text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            error("\(what) '\(text)' may contain only letters, digits, '-' and '_'", at: node)
            return nil
        }
        return text
    }

    mutating func number(_ node: Node, _ what: String) -> Double? {
        guard let text = string(node, what) else { return nil }
        guard let value = Double(text.hasPrefix("+") ? String(text.dropFirst()) : text), value.isFinite else {
            error("expected \(what) as a number, found '\(text)'", at: node)
            return nil
        }
        return value
    }

    mutating func integer(_ node: Node, _ what: String, atLeast minimum: Int) -> Int? {
        guard let text = string(node, what) else { return nil }
        guard let value = Int(text) else {
            error("expected \(what) as a whole number, found '\(text)'", at: node)
            return nil
        }
        guard value >= minimum else {
            error("\(what) must be at least \(minimum), found \(value)", at: node)
            return nil
        }
        return value
    }

    mutating func bool(_ node: Node, _ what: String) -> Bool? {
        guard let text = string(node, what) else { return nil }
        switch text.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            error("expected \(what) as true or false, found '\(text)'", at: node)
            return nil
        }
    }

    /// A positive duration such as `3d`, `4h`, `1d12h`.
    mutating func span(_ node: Node, _ what: String) -> TimeSpan? {
        guard let text = string(node, what) else { return nil }
        guard let span = TimeSpan(parsing: text) else {
            let hint = Int(text) != nil ? " (add a unit: '\(text)d' or '\(text)h')" : ""
            error("'\(text)' is not a duration\(hint); write it like 30m, 4h, 3d, 2w or 1d12h", at: node)
            return nil
        }
        guard span.isPositive else {
            error("\(what) must be longer than zero, found '\(text)'", at: node)
            return nil
        }
        return span
    }

    mutating func timeZone(_ node: Node) -> TimeZone? {
        guard let text = string(node, "a time zone") else { return nil }
        guard let zone = ZoneName.zone(named: text) else {
            error("unknown time zone '\(text)'; use an IANA name such as America/New_York or Europe/Berlin", at: node)
            return nil
        }
        return zone
    }

    /// A list, or a single value where a list of one is meant.
    mutating func list(_ node: Node, _ what: String) -> [Node]? {
        switch node {
        case let .sequence(sequence): return Array(sequence)
        case .scalar: return [node]
        default:
            error("expected \(what) as a list, found \(Self.describe(node))", at: node)
            return nil
        }
    }

    mutating func words(_ node: Node, _ what: String) -> [String]? {
        guard let items = list(node, what) else { return nil }
        let words = items.compactMap { string($0, what) }
        return words.count == items.count ? words : nil
    }

    /// Where the character at `offset` in a scalar's text is: exact when the scalar is written on
    /// one line (plain or quoted), the scalar's start otherwise.
    func position(ofOffset offset: Int, in node: Node) -> SourcePosition {
        guard case let .scalar(scalar) = node else { return position(node) }
        let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted ? 1 : 0
        let sameLine = !scalar.string.contains("\n") && (scalar.style == .plain || quoted == 1)
        return sameLine ? position(node).offset(by: quoted + offset) : position(node)
    }

    /// A condition, with parse errors placed at their exact column.
    mutating func condition(_ node: Node) -> Condition? {
        guard let scalar = scalar(node, "a condition") else { return nil }
        do {
            return try ConditionParser.parse(scalar.string)
        } catch {
            let place = position(ofOffset: error.offset, in: node)
            report(.error, "in condition: \(Self.reversedOperatorHint(scalar.string, at: error.offset) ?? error.message)", at: place)
            return nil
        }
    }
}

extension NodeReader {
    /// The parser reads `=>` as an unknown `=` and suggests `==`; someone who wrote `score => 40`
    /// meant `>=`, so say that instead.
    static func reversedOperatorHint(_ text: String, at offset: Int) -> String? {
        let rest = text.dropFirst(offset)
        for (written, meant) in [("=>", ">="), ("=<", "<=")] where rest.hasPrefix(written) {
            return "unknown operator '\(written)'; write '\(meant)'"
        }
        return nil
    }
}

/// The entries of one mapping, by key.
struct Fields {
    let node: Node
    let what: String
    let entries: [String: (key: Node, value: Node)]

    subscript(key: String) -> Node? { entries[key]?.value }

    func key(_ key: String) -> Node? { entries[key]?.key }

    var keys: Set<String> { Set(entries.keys) }
}
