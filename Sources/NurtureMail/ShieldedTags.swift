import Foundation

/// A Mustache text with each tag swapped for a placeholder that Markdown passes through untouched.
///
/// The Markdown of a template is then converted (to HTML, to plain text) once, before any field is
/// filled in, and the tags are put back into the result: every message from the template only
/// fills in fields. A value filled in afterwards is never read as Markdown.
struct ShieldedTags {
    /// The text with a placeholder where each tag was.
    let text: String
    private let tags: [Tag]

    private struct Tag {
        /// The tag as written, `{{first_name}}`, `{{{company}}}`, `{{#title}}`...
        var source: String
        /// The tag for HTML output: variables always escaped (`{{name}}`), the others as written.
        var html: String
        /// Sections, their ends and comments: lines of their own in the template, so Markdown
        /// puts them in a paragraph of their own, which the HTML does without.
        var standsAlone: Bool
    }

    /// Placeholders are private-use characters around the tag's number: no Markdown syntax, and
    /// never in a template's own text.
    static let open: Unicode.Scalar = "\u{E000}"
    static let close: Unicode.Scalar = "\u{E001}"

    init(_ source: String) {
        var text = String.UnicodeScalarView()
        var tags: [Tag] = []
        var rest = Substring(source)
        while let start = rest.range(of: "{{") {
            text.append(contentsOf: rest[..<start.lowerBound].unicodeScalars)
            let triple = rest[start.upperBound...].hasPrefix("{")
            guard let end = rest[start.upperBound...].range(of: triple ? "}}}" : "}}") else { break }
            let tag = rest[start.lowerBound..<end.upperBound]
            var inner = rest[start.upperBound..<end.lowerBound].dropFirst(triple ? 1 : 0)
            let sigil = triple ? "&" : inner.first
            if !triple, let sigil, "#^/!>&".contains(sigil) { inner = inner.dropFirst() }
            let name = inner.trimmingCharacters(in: .whitespaces)
            let isVariable = sigil == "&" || !(sigil.map("#^/!>".contains) ?? false)
            tags.append(Tag(
                source: String(tag), html: isVariable ? "{{\(name)}}" : String(tag),
                standsAlone: sigil.map("#^/!".contains) ?? false))
            text.append(Self.open)
            text.append(contentsOf: String(tags.count - 1).unicodeScalars)
            text.append(Self.close)
            rest = rest[end.upperBound...]
        }
        text.append(contentsOf: rest.unicodeScalars)
        self.text = String(text)
        self.tags = tags
    }

    /// The converted text with the tags put back as written (for the plain-text part).
    func restoringText(in converted: String) -> String { restore(in: converted) { $0.source } }

    /// The converted HTML with the tags put back, variables escaped, and tags that stood alone
    /// taken out of the paragraph Markdown wrapped them in.
    func restoringHTML(in converted: String) -> String {
        var html = converted
        for (number, tag) in tags.enumerated() where tag.standsAlone {
            let placeholder = String(Self.open) + String(number) + String(Self.close)
            html = html.replacingOccurrences(of: "<p>\(placeholder)</p>\n", with: placeholder)
                .replacingOccurrences(of: "<p>\(placeholder)</p>", with: placeholder)
        }
        return restore(in: html) { $0.html }
    }

    private func restore(in converted: String, as form: (Tag) -> String) -> String {
        var result = ""
        var number: Int?
        for scalar in converted.unicodeScalars {
            switch scalar {
            case Self.open:
                number = 0
            case Self.close:
                if let found = number, found < tags.count { result += form(tags[found]) }
                number = nil
            default:
                if let current = number, ("0"..."9").contains(scalar) {
                    number = current * 10 + Int(scalar.value - 48)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}
