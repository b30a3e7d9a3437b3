import Foundation

/// Header values that cannot inject headers and read correctly in every mail client.
///
/// CR, LF, NUL and other control characters become spaces, so no value can end its line and start
/// another header. Non-ASCII text becomes RFC 2047 encoded-words. Long values are folded so that
/// no header line exceeds 78 characters.
enum HeaderText {
    /// Control characters replaced by spaces, and runs of whitespace collapsed.
    static func sanitized(_ text: String) -> String {
        var result = ""
        var lastWasSpace = false
        for scalar in text.unicodeScalars {
            let isSpace = scalar.value < 0x20 || scalar.value == 0x7F || scalar == " " || (0x80..<0xA0).contains(scalar.value)
            if isSpace {
                if !lastWasSpace, !result.isEmpty { result.append(" ") }
                lastWasSpace = true
            } else {
                result.unicodeScalars.append(scalar)
                lastWasSpace = false
            }
        }
        return result.trimmingCharacters(in: .whitespaces)
    }

    /// A header line `Name: value`, folded, with the value encoded as needed (unstructured text
    /// such as a subject).
    static func unstructured(_ name: String, _ value: String) -> String {
        let clean = sanitized(value)
        let words = clean.split(separator: " ", omittingEmptySubsequences: true)
        let plain = clean.unicodeScalars.allSatisfy { $0.isASCII } && words.allSatisfy { $0.count <= 70 }
            && !clean.contains("=?")
        return plain ? fold(name: name, words: words.map(String.init)) : fold(name: name, words: encodedWords(clean))
    }

    /// A display name and address: `Maya Chen <maya@example.com>`.
    static func mailbox(name: String?, address: MailAddress) -> String {
        guard let name = name.map(sanitized), !name.isEmpty else { return "<\(address.value)>" }
        if name.unicodeScalars.allSatisfy({ $0.isASCII }), !name.contains("=?") {
            let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(escaped)\" <\(address.value)>"
        }
        return encodedWords(name).joined(separator: " ") + " <\(address.value)>"
    }

    /// Folds words into lines of at most 78 characters, continuation lines starting with a space.
    static func fold(name: String, words: [String]) -> String {
        var lines: [String] = []
        var line = "\(name):"
        for word in words {
            if line.count + 1 + word.count > 78, line != "\(name):" {
                lines.append(line)
                line = ""
            }
            line += " " + word
        }
        lines.append(line)
        return lines.joined(separator: "\r\n")
    }

    /// RFC 2047 `=?UTF-8?B?...?=` words of at most 75 characters, split between characters.
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        // 75 - "=?UTF-8?B?".count - "?=".count = 63 characters of base64: 45 bytes of text.
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append(encodedWord(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(encodedWord(chunk)) }
        return words
    }

    static func encodedWord(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?\(Data(bytes).base64EncodedString())?="
    }
}
