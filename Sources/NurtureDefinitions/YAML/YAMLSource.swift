import Foundation
import Yams

/// Reads one YAML file into a node tree, turning every way it can fail (unreadable, empty, tabs,
/// syntax errors, duplicate keys) into a positioned diagnostic.
enum YAMLSource {
    static func load(path: String, displayPath: String, into diagnostics: inout Diagnostics) -> Node? {
        guard let text = TextFile.read(path: path, displayPath: displayPath, into: &diagnostics) else { return nil }
        return parse(text, displayPath: displayPath, into: &diagnostics)
    }

    static func parse(_ text: String, displayPath: String, into diagnostics: inout Diagnostics) -> Node? {
        // libyaml's message for a tab is cryptic; name the problem and where it is.
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let indent = line.prefix { $0 == " " || $0 == "\t" }
            if let tab = indent.firstIndex(of: "\t") {
                let column = line.distance(from: line.startIndex, to: tab) + 1
                diagnostics.append(.init(
                    .error, file: displayPath, line: number + 1, column: column,
                    message: "tab character in indentation; YAML indents with spaces only"))
                return nil
            }
        }
        if let alias = AliasExpansion.excess(in: text) {
            diagnostics.append(.init(
                .error, file: displayPath, line: alias.line, column: alias.column,
                message: "this alias takes the file past \(AliasExpansion.maxNodes) nodes once aliases are expanded; "
                    + "write the values out, or use fewer aliases"))
            return nil
        }
        do {
            guard let node = try Yams.compose(yaml: text) else {
                diagnostics.append(.init(.error, file: displayPath, line: 1, column: 1, message: "the file is empty"))
                return nil
            }
            if case let .scalar(scalar) = node, scalar.string.isEmpty {
                diagnostics.append(.init(.error, file: displayPath, line: 1, column: 1, message: "the file is empty"))
                return nil
            }
            return node
        } catch let error as YamlError {
            diagnostics.append(diagnostic(for: error, file: displayPath, text: text))
            return nil
        } catch {
            diagnostics.append(.init(.error, file: displayPath, line: 1, column: 1, message: "\(error)"))
            return nil
        }
    }

    static func diagnostic(for error: YamlError, file: String, text: String) -> Diagnostic {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
            let .composer(context, problem, mark, _):
            // libyaml notices a missing `]` or `}` only where the next thing starts; say where the
            // unclosed part began, which is where the fix goes.
            let detail = context.map {
                $0.mark.line == mark.line ? "\(problem) (\($0.text))"
                    : "\(problem) (\($0.text), which starts on line \($0.mark.line))"
            } ?? problem
            return Diagnostic(.error, file: file, line: mark.line, column: mark.column, message: "YAML syntax: \(detail)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            let mark = repeatedKey(duplicates.first ?? "", after: context.mark, in: text)
            return Diagnostic(
                .error, file: file, line: mark.line, column: mark.column,
                message: "duplicate key \(keys) in the same mapping")
        case let .reader(problem, _, _, _):
            return Diagnostic(.error, file: file, line: 1, column: 1, message: "cannot read YAML: \(problem)")
        default:
            return Diagnostic(.error, file: file, line: 1, column: 1, message: "\(error)")
        }
    }

    /// The parser points at a duplicated key's first occurrence; the mistake is the repeat, so find
    /// the next line that starts the same key at the same column.
    static func repeatedKey(_ key: String, after mark: Mark, in text: String) -> (line: Int, column: Int) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let indent = String(repeating: " ", count: max(0, mark.column - 1))
        for number in mark.line..<lines.count {
            let line = lines[number]
            for prefix in [indent + key + ":", indent + "- " + key + ":"] where line.hasPrefix(prefix) {
                return (number + 1, line.hasPrefix(indent + "- ") ? mark.column + 2 : mark.column)
            }
        }
        return (mark.line, mark.column)
    }
}
