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
        let compiled = try Compiled.for(text)
        let missing = compiled.variables.filter { name in fields.values[name].map { $0.isEmpty } ?? true }
        guard missing.isEmpty else { throw .missingFields(missing) }
        return compiled.template.render(fields.context)
    }

    /// A text parsed once: every message from one template reuses the parse and its variable list.
    final class Compiled: Sendable {
        let template: MustacheTemplate
        /// The distinct variables, sorted.
        let variables: [String]

        private static let cache = Mutex<[String: Compiled]>([:])

        private init(template: MustacheTemplate, variables: [String]) {
            self.template = template
            self.variables = variables
        }

        static func `for`(_ text: String) throws(Failure) -> Compiled {
            if let known = cache.withLock({ $0[text] }) { return known }
            let template: MustacheTemplate
            do {
                template = try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + text)
            } catch let error as MustacheTemplate.ParserError {
                throw .syntax(line: error.context.lineNumber, column: error.context.columnNumber, message: "\(error.error)")
            } catch {
                throw .syntax(line: 1, column: 1, message: "\(error)")
            }
            let compiled = Compiled(template: template, variables: Array(Set(EmailTemplate.variables(in: text).map(\.name))).sorted())
            cache.withLock { $0[text] = compiled }
            return compiled
        }
    }
}
