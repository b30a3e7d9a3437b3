import Foundation

/// Links in a message's HTML part, where a lead's data can reach them.
///
/// A value filled in inside a link or image address, after its start (`?company={{company}}`),
/// is percent-encoded, so that it stays one parameter. A value that starts the address
/// (`[site]({{website}})`) is the address, so every address in the finished HTML must be http,
/// https or mailto (or have no scheme): `javascript:` and the like are refused.
enum LinkTargets {
    /// Marks around a value to percent-encode, set in the prepared template and taken out of each
    /// message: private-use characters, which neither Markdown nor the values use.
    static let open: Unicode.Scalar = "\u{E002}"
    static let close: Unicode.Scalar = "\u{E003}"

    static let schemes: Set<String> = ["http", "https", "mailto"]

    /// Marks each tag placeholder (see ``ShieldedTags``) inside an `href` or `src` value, after
    /// the value's start, in HTML converted from Markdown.
    static func marking(_ html: String) -> String {
        var result = String.UnicodeScalarView()
        // The last few characters outside addresses, to see an attribute name before its quote.
        var recent = String.UnicodeScalarView()
        var inAddress = false, valueStarted = false, inTag = false
        for scalar in html.unicodeScalars {
            if inAddress {
                if scalar == "\"", !inTag {
                    inAddress = false
                } else {
                    if scalar == ShieldedTags.open, valueStarted {
                        result.append(open)
                        inTag = true
                    }
                    result.append(scalar)
                    if scalar == ShieldedTags.close, inTag {
                        result.append(close)
                        inTag = false
                    }
                    valueStarted = true
                    continue
                }
            }
            result.append(scalar)
            if scalar == "\"", String(recent).hasSuffix("href=") || String(recent).hasSuffix("src=") {
                inAddress = true
                valueStarted = false
            }
            recent.append(scalar)
            if recent.count > 5 { recent.removeFirst() }
        }
        return String(result)
    }

    /// The message's HTML with its marked values percent-encoded, after checking every address's
    /// scheme.
    static func finish(_ html: String) throws(MessageRenderer.Failure) -> String {
        var finished = html
        if html.unicodeScalars.contains(open) {
            var result = String.UnicodeScalarView()
            var value: String.UnicodeScalarView?
            for scalar in html.unicodeScalars {
                switch scalar {
                case open: value = String.UnicodeScalarView()
                case close:
                    result.append(contentsOf: percentEncoded(unescaped(String(value ?? .init()))).unicodeScalars)
                    value = nil
                default:
                    if value != nil { value!.append(scalar) } else { result.append(scalar) }
                }
            }
            finished = String(result)
        }
        for address in addresses(in: finished) {
            if let scheme = scheme(of: address), !schemes.contains(scheme) {
                let shown = address.count > 60 ? "\(address.prefix(60))…" : address
                throw .unsendable("a link to '\(shown)': only http, https and mailto links are sent")
            }
        }
        return finished
    }

    /// The values of every `href` and `src` attribute, found byte by byte as a browser's parser
    /// reads them.
    static func addresses(in html: String) -> [Substring] {
        let bytes = html.utf8
        var found: [Substring] = []
        var rest = bytes.startIndex
        while let equals = bytes[rest...].firstIndex(of: UInt8(ascii: "=")) {
            rest = bytes.index(after: equals)
            guard rest < bytes.endIndex, bytes[rest] == UInt8(ascii: "\"") else { continue }
            let name = bytes[..<equals].suffix(4)
            rest = bytes.index(after: rest)
            guard name.elementsEqual("href".utf8) || name.suffix(3).elementsEqual("src".utf8) else { continue }
            let end = bytes[rest...].firstIndex(of: UInt8(ascii: "\"")) ?? bytes.endIndex
            found.append(html[rest..<end])
            rest = end
        }
        return found
    }

    /// The scheme as a browser reads it (leading blanks and controls skipped, tabs and line breaks
    /// ignored, any case); nil for an address without one. Reads no further than the scheme's end.
    static func scheme(of address: Substring) -> String? {
        var scheme = String.UnicodeScalarView()
        for scalar in address.unicodeScalars.drop(while: { $0.value <= 0x20 }) {
            switch scalar {
            case "\t", "\n", "\r": continue
            case ":": return String(scheme).lowercased()
            case "/", "?", "#": return nil
            default: scheme.append(scalar)
            }
        }
        return nil
    }

    /// HTML as Mustache escaped it, back to the value.
    static func unescaped(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&#x27;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// RFC 3986's unreserved characters, and `@`, which an address part (`mailto:{{rep.email}}`)
    /// and a query may hold as it is.
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~@")

    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
