import Mustache
import Synchronization
import NurtureCore

/// Fills a Mustache text (a subject, a rep notification, a Markdown body) for one lead, refusing
/// to leave a blank where a field is missing: a customer must never read "Hi ,".
public enum TemplateText {
    public enum Failure: Error, Hashable, Sendable, CustomStringConvertible {
        case missingFields([String])
        case syntax(line: Int, column: Int, message: String)

        public var description: String {
            switch self {
            case let .missingFields(names): "no value for \(names.map { "{{\($0)}}" }.joined(separator: ", "))"
            case let .syntax(line, column, message): "template syntax at \(line):\(column): \(message)"
            }
        }
    }

    /// Renders as plain text (no HTML escaping), e.g. for subjects and notifications.
    public static func render(_ text: String, fields: TemplateFields) throws(Failure) -> String {
        try Compiled.for(text).render(fields) { fields.context }
    }

    /// A text parsed once: every message from one template reuses the parse and its variable list.
    final class Compiled: Sendable {
        let template: MustacheTemplate
        /// The same text split for filling in by concatenation, when it holds only variables.
        let segments: FieldSegments?
        /// The distinct variables, sorted.
        let variables: [String]

        private static let cache = Mutex<[String: Compiled]>([:])

        /// Parses `mustache`, as HTML (values escaped) or plain text, whose variables are those
        /// of `source` (the text as written, when `mustache` was derived from it).
        init(_ mustache: String, html: Bool = false, variablesOf source: String? = nil) throws(Failure) {
            // The pragma for plain text, followed by an empty comment: a tag alone on its line
            // "stands alone", and Mustache would drop the whitespace around it from the text.
            let prefix = html ? "" : "{{% CONTENT_TYPE: TEXT}}{{!}}"
            do {
                template = try MustacheTemplate(string: prefix + mustache)
            } catch let error as MustacheTemplate.ParserError {
                let line = error.context.lineNumber, column = error.context.columnNumber
                throw .syntax(line: line, column: line == 1 ? max(1, column - prefix.count) : column, message: "\(error.error)")
            } catch {
                throw .syntax(line: 1, column: 1, message: "\(error)")
            }
            segments = FieldSegments(mustache, html: html)
            variables = Array(Set(EmailTemplate.variables(in: source ?? mustache).map(\.name))).sorted()
        }

        /// The compiled plain-text form of `text`, from the cache when it was compiled before.
        static func `for`(_ text: String) throws(Failure) -> Compiled {
            if let known = cache.withLock({ $0[text] }) { return known }
            let compiled = try Compiled(text)
            cache.withLock { $0[text] = compiled }
            return compiled
        }

        /// Fills in `fields` (whose Mustache shape `context` gives, built only when the Mustache
        /// renderer is needed), or names the fields that have no value.
        func render(_ fields: TemplateFields, context: () -> [String: Any]) throws(Failure) -> String {
            let missing = variables.filter { name in fields.values[name].map { $0.isEmpty } ?? true }
            guard missing.isEmpty else { throw .missingFields(missing) }
            return segments?.fill(fields.values) ?? template.render(context())
        }
    }
}
