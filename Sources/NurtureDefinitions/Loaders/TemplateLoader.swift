import Foundation
import Mustache
import NurtureCore
import Yams

/// `templates/NAME.md` -> ``EmailTemplate``: YAML front matter (subject, preheader) between `---`
/// lines, then the Markdown body.
enum TemplateLoader {
    struct Loaded {
        var template: EmailTemplate
        /// Variables with their line and column in the file.
        var variables: [EmailTemplate.Variable]
    }

    static func load(path: String, displayPath: String, name: String, into diagnostics: inout Diagnostics) -> Loaded? {
        guard let text = TextFile.read(path: path, displayPath: displayPath, into: &diagnostics) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---",
              let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" })
        else {
            diagnostics.append(.init(
                .error, file: displayPath, line: 1, column: 1,
                message: "a template starts with front matter: a '---' line, 'subject: ...', and another '---' line"))
            return nil
        }
        let header = lines[1..<end].joined(separator: "\n")
        var local = Diagnostics()
        // Front matter positions are one line below the YAML's own (the opening '---').
        guard let node = YAMLSource.parse(header, displayPath: displayPath, into: &local) else {
            diagnostics.append(contentsOf: shifted(local, by: 1))
            return nil
        }
        var reader = NodeReader(file: displayPath)
        let fields = reader.mapping(node, "the front matter", keys: ["subject", "preheader"])
        let subject = fields.flatMap { reader.required($0, "subject") }.flatMap { reader.string($0, "a subject") }
        let preheader = fields?["preheader"].flatMap { reader.string($0, "a preheader") }
        diagnostics.append(contentsOf: shifted(reader.diagnostics, by: 1))
        guard let subject else { return nil }

        let body = lines[(end + 1)...].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        if body.isEmpty {
            diagnostics.append(.init(.error, file: displayPath, line: end + 2, column: 1, message: "the template has no body"))
        }
        do {
            _ = try MustacheTemplate(string: text)
        } catch let error as MustacheTemplate.ParserError {
            diagnostics.append(.init(
                .error, file: displayPath, line: error.context.lineNumber, column: error.context.columnNumber,
                message: "template syntax: \(explain(error.error))"))
            return nil
        } catch {
            diagnostics.append(.init(.error, file: displayPath, line: 1, column: 1, message: "template syntax: \(error)"))
            return nil
        }
        // Variables are located in the whole file so that their positions are the file's.
        let variables = EmailTemplate.variables(in: text)
        warnOfFieldsInAngleBrackets(text, file: displayPath, into: &diagnostics)
        return Loaded(template: EmailTemplate(name: name, subject: subject, preheader: preheader, body: body), variables: variables)
    }

    /// A field right after `<` (`<{{rep.email}}>`) makes Markdown read an autolink or an HTML tag
    /// whose extent depends on the lead's data, which can swallow the rest of the body.
    static func warnOfFieldsInAngleBrackets(_ text: String, file: String, into diagnostics: inout Diagnostics) {
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var rest = line[...]
            while let found = rest.range(of: "<{{") {
                diagnostics.append(.init(
                    .warning, file: file, line: number + 1, column: line.distance(from: line.startIndex, to: found.lowerBound) + 1,
                    message: "a field inside <...> makes the email's Markdown depend on the lead's data; "
                        + "write the address as [text]({{field}}) or as plain text"))
                rest = line[found.upperBound...]
            }
        }
    }

    static func explain(_ error: Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .expectedSectionEnd?: "a section opened with {{#name}} or {{^name}} is never closed with {{/name}}"
        case .sectionCloseNameIncorrect?: "a closing {{/name}} does not match the section it closes"
        case .unfinishedName?: "a tag is not closed with }}"
        default: "\(error)"
        }
    }

    static func shifted(_ diagnostics: Diagnostics, by lines: Int) -> Diagnostics {
        var result = Diagnostics()
        for var diagnostic in diagnostics.all {
            if diagnostic.line > 0 { diagnostic.line += lines }
            result.append(diagnostic)
        }
        return result
    }
}
