import Foundation

/// An email as marketing wrote it: a subject, a preheader and a Markdown body, all with Mustache
/// variables such as `{{first_name}}` and `{{rep.name}}`.
public struct EmailTemplate: Hashable, Sendable {
    /// The name steps use: `post-webinar/recording` for `templates/post-webinar/recording.md`.
    public var name: String
    public var subject: String
    public var preheader: String?
    public var body: String

    public init(name: String, subject: String, preheader: String? = nil, body: String) {
        self.name = name
        self.subject = subject
        self.preheader = preheader
        self.body = body
    }

    /// A variable as written in a template, with its line and column in the template's text.
    public struct Variable: Hashable, Sendable {
        public var name: String
        public var line: Int
        public var column: Int
    }

    /// Every variable in a Mustache text: `{{name}}`, `{{{name}}}`, `{{#name}}`, `{{^name}}`,
    /// `{{& name}}`. Comments (`{{! ...}}`) and closing tags are skipped.
    public static func variables(in text: String) -> [Variable] {
        var found: [Variable] = []
        var line = 1, column = 1
        var index = text.startIndex
        while index < text.endIndex {
            if text[index...].hasPrefix("{{") {
                let startLine = line, startColumn = column
                guard let close = text[index...].range(of: "}}") else { break }
                var inner = text[text.index(index, offsetBy: 2)..<close.lowerBound]
                var afterClose = close.upperBound
                if inner.hasPrefix("{"), afterClose < text.endIndex, text[afterClose] == "}" {
                    inner = inner.dropFirst()
                    afterClose = text.index(after: afterClose)
                }
                let sigil = inner.first
                if let sigil, "#^&".contains(sigil) { inner = inner.dropFirst() }
                let name = inner.trimmingCharacters(in: .whitespaces)
                if sigil != "!", sigil != "/", sigil != ">", !name.isEmpty {
                    found.append(Variable(name: name, line: startLine, column: startColumn))
                }
                for char in text[index..<afterClose] {
                    if char == "\n" { line += 1; column = 1 } else { column += 1 }
                }
                index = afterClose
                continue
            }
            if text[index] == "\n" { line += 1; column = 1 } else { column += 1 }
            index = text.index(after: index)
        }
        return found
    }
}
