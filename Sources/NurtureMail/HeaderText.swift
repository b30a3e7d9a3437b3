import Foundation

/// Header values that cannot inject headers and read correctly in every mail client.
///
/// CR, LF, NUL and other control characters become spaces, so no value can end its line and start
/// another header. Non-ASCII text becomes RFC 2047 encoded-words. Long values are folded so that
/// no header line exceeds 78 characters.
enum HeaderText {
    /// Control characters (C0, DEL, C1) and the Unicode line and paragraph separators replaced by
    /// spaces, and runs of whitespace collapsed.
    static func sanitized(_ text: String) -> String {
        // Most values are printable ASCII with single spaces inside: nothing to change.
        let bytes = text.utf8
        if bytes.first != 32, bytes.last != 32,
           !zip(bytes, bytes.dropFirst()).contains(where: { $0 == 32 && $1 == 32 }),
           bytes.allSatisfy({ (32...126).contains($0) }) {
            return text
        }
        var result = ""
        var lastWasSpace = false
        for scalar in text.unicodeScalars {
            let isSpace = scalar.value < 0x20 || scalar.value == 0x7F || scalar == " " || (0x80..<0xA0).contains(scalar.value)
                || scalar == "\u{2028}" || scalar == "\u{2029}"  // line and paragraph separators
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
        // A word must fit on the first line after "Name: " to be folded plainly.
        let plain = clean.unicodeScalars.allSatisfy { $0.isASCII } && words.allSatisfy { $0.count <= 76 - name.count }
            && !clean.contains("=?")
        return plain ? fold(name: name, words: words.map(String.init)) : fold(name: name, words: encodedWords(clean))
    }

    /// A header line with a display name and address: `From: "Maya Chen" <maya@example.com>`,
    /// folded. A name that fits on the line is quoted; a longer or non-ASCII one becomes
    /// encoded-words, so that it can be folded between them.
    static func mailbox(_ header: String, name: String?, address: MailAddress) -> String {
        let angle = "<\(address.value)>"
        guard let name = name.map(sanitized), !name.isEmpty else { return fold(name: header, words: [angle]) }
        if name.utf8.allSatisfy({ $0 < 128 }), !name.contains("=?") {
            let needsEscapes = name.utf8.contains { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") }
            let escaped = needsEscapes
                ? name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") : name
            let line = "\(header): \"\(escaped)\" \(angle)"
            if line.utf8.count <= 78 { return line }
        }
        return fold(name: header, words: encodedWords(name) + [angle])
    }

    /// The longest header line sent, in octets: RFC 5322's hard limit, which only a single word
    /// that cannot be folded (a URL, an address) could reach.
    static let maxLineOctets = 998
    /// The largest header block: real headers take a few kilobytes, however long a name or subject.
    static let maxBlockOctets = 32 << 10

    /// The header lines as the message's head, ending in the blank line: every header of every
    /// message goes through here, which refuses a line holding CR, LF or NUL of its own (a header
    /// injected), a line over ``maxLineOctets`` and a block over ``maxBlockOctets``.
    static func block(_ headers: [String]) throws(MessageRenderer.Failure) -> [UInt8] {
        let bytes = Array((headers.joined(separator: "\r\n") + "\r\n\r\n").utf8)
        guard bytes.count <= maxBlockOctets else {
            throw .unsendable("the headers would take more than \(maxBlockOctets >> 10) KiB; a value in them is too long")
        }
        var lineStart = 0
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case 13:
                // Only CRLF ends a line, and the line after it must be a folded continuation or a new header.
                guard index + 1 < bytes.count, bytes[index + 1] == 10 else { throw .unsendable("a header holds a bare carriage return") }
                guard index - lineStart <= maxLineOctets else {
                    throw .unsendable("a header line would be longer than \(maxLineOctets) octets")
                }
                index += 2
                lineStart = index
                continue
            case 10: throw .unsendable("a header holds a bare line feed")
            case 0: throw .unsendable("a header holds a NUL")
            default: break
            }
            index += 1
        }
        return bytes
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

    /// RFC 2047 `=?UTF-8?B?...?=` words of at most 68 characters, split between characters
    /// (between code points only for a character longer than a word holds).
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        // 42 bytes of text are 56 characters of base64, a 68-character word: "Reply-To: " and a
        // word make 78, the longest line RFC 5322 recommends.
        let limit = 42
        func add(_ bytes: [UInt8]) {
            if chunk.count + bytes.count > limit, !chunk.isEmpty {
                words.append(encodedWord(chunk))
                chunk = []
            }
            chunk += bytes
        }
        for character in text {
            let bytes = Array(String(character).utf8)
            if bytes.count <= limit {
                add(bytes)
            } else {
                for scalar in character.unicodeScalars { add(Array(String(scalar).utf8)) }
            }
        }
        if !chunk.isEmpty { words.append(encodedWord(chunk)) }
        return words
    }

    static func encodedWord(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?\(Data(bytes).base64EncodedString())?="
    }
}
