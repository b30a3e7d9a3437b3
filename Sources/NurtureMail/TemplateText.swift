import Mustache
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
        let missing = EmailTemplate.variables(in: text).map(\.name).filter { name in
            fields.values[name].map { $0.isEmpty } ?? true
        }
        guard missing.isEmpty else { throw .missingFields(Array(Set(missing)).sorted()) }
        let template: MustacheTemplate
        do {
            template = try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + text)
        } catch let error as MustacheTemplate.ParserError {
            throw .syntax(line: error.context.lineNumber, column: error.context.columnNumber, message: "\(error.error)")
        } catch {
            throw .syntax(line: 1, column: 1, message: "\(error)")
        }
        return template.render(fields.context)
    }
}
