/// The text/plain part from the Markdown source: what a reader of plain text expects, links
/// written out, emphasis marks dropped.
enum PlainText {
    static func from(markdown: String) -> String {
        var text = markdown
        // [label](url) -> label (url)
        while let open = text.range(of: "]("), let start = text[..<open.lowerBound].lastIndex(of: "["),
              let close = text[open.upperBound...].firstIndex(of: ")") {
            let label = text[text.index(after: start)..<open.lowerBound]
            let url = text[open.upperBound..<close]
            text.replaceSubrange(start...close, with: "\(label) (\(url))")
        }
        for mark in ["**", "__"] { text = text.replacingOccurrences(of: mark, with: "") }
        return text
    }
}
