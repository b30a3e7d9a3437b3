import NurtureBasics

/// A Mustache text made only of literal text and variables, split once into its pieces, so that
/// filling it in for a message is concatenation.
///
/// The Mustache renderer looks each variable up through dynamic casts and reflection, which is
/// most of a message's rendering time. Texts with anything else (sections, partials, comments,
/// lambdas, changed delimiters) are left to it: `init` returns nil for them.
struct FieldSegments: Sendable {
    enum Piece: Sendable, Equatable {
        case text(String)
        /// A field by its dotted name (`first_name`, `rep.name`); `escaped` for HTML output.
        case field(String, escaped: Bool)
    }

    let pieces: [Piece]

    /// Splits `source`; `html` says whether `{{name}}` is HTML-escaped (as Mustache does in HTML
    /// content) or written as is.
    init?(_ source: String, html: Bool) {
        var pieces: [Piece] = []
        var rest = Substring(source)
        while let open = rest.firstRange(of: "{{") {
            if open.lowerBound > rest.startIndex { pieces.append(.text(String(rest[..<open.lowerBound]))) }
            let triple = rest[open.upperBound...].first == "{"
            let afterOpen = triple ? rest.index(after: open.upperBound) : open.upperBound
            guard let close = rest[afterOpen...].firstRange(of: triple ? "}}}" : "}}") else { return nil }
            var inner = rest[afterOpen..<close.lowerBound]
            var escaped = html && !triple
            if inner.first == "&", !triple {
                escaped = false
                inner = inner.dropFirst()
            }
            let name = inner.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()
            guard Self.isPlainName(String(name)) else { return nil }
            pieces.append(.field(String(name), escaped: escaped))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { pieces.append(.text(String(rest))) }
        self.pieces = pieces
    }

    /// A name Mustache resolves by plain lookup: letters, digits, `_` and `-`, in dot-separated
    /// parts. Anything else (a sigil, `.`, an empty part) may mean more to Mustache.
    static func isPlainName(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return !parts.isEmpty && parts.allSatisfy { part in
            !part.isEmpty && part.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
        }
    }

    /// The text with every field filled in from `values`, which the caller has checked holds them all.
    func fill(_ values: [String: String]) -> String {
        var result = ""
        for piece in pieces {
            switch piece {
            case let .text(text): result += text
            case let .field(name, escaped):
                let value = values[name] ?? ""
                if escaped { HTMLEscaping.appendMailValue(value, to: &result) } else { result += value }
            }
        }
        return result
    }
}
