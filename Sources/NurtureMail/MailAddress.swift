import NurtureCore

/// An email address fit for an SMTP envelope and a header: ASCII, no spaces or control
/// characters, a plausible local part and domain, within RFC 5321's lengths.
///
/// Internationalised addresses (a non-ASCII local part) need SMTPUTF8 end to end; they are refused
/// with a clear message rather than sent mangled.
public struct MailAddress: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    public enum Problem: Error, Hashable, Sendable, CustomStringConvertible {
        case invalid(String, reason: String)

        public var description: String {
            switch self {
            case let .invalid(address, reason): "'\(address.controlCharactersEscaped)' is not a usable address: \(reason)"
            }
        }
    }

    static let localSpecials = Set("!#$%&'*+/=?^_`{|}~-.".utf8)

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    public init(_ text: String) throws(Problem) {
        func fail(_ reason: String) -> Problem { .invalid(text, reason: reason) }
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw fail("it contains a control character (line break or NUL)")
        }
        guard text.unicodeScalars.allSatisfy(\.isASCII) else {
            throw fail("internationalised addresses need SMTPUTF8, which this sender does not use")
        }
        // Receivers decode an RFC 2047 encoded-word even where it has no place: `=?utf-8?q?x?=@a.org`
        // is read as x@a.org.
        guard !text.contains("=?") else { throw fail("it contains an encoded-word (=?...?=), which receivers would decode") }
        // ASCII from here on: the checks read bytes, not characters.
        let bytes = Array(text.utf8)
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), !bytes[(at + 1)...].contains(UInt8(ascii: "@")) else {
            throw fail("it needs exactly one @")
        }
        let local = bytes[..<at], domain = bytes[(at + 1)...]
        guard !local.isEmpty, local.count <= 64 else { throw fail("the part before @ must be 1 to 64 characters") }
        guard bytes.count <= 254 else { throw fail("it is longer than 254 characters") }
        guard local.allSatisfy({ Self.isAlphanumeric($0) || Self.localSpecials.contains($0) }),
              local.first != UInt8(ascii: "."), local.last != UInt8(ascii: "."),
              !zip(local, local.dropFirst()).contains(where: { $0 == UInt8(ascii: ".") && $1 == UInt8(ascii: ".") })
        else { throw fail("the part before @ has characters an address cannot have") }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ label in
            !label.isEmpty && label.count <= 63 && label.first != UInt8(ascii: "-") && label.last != UInt8(ascii: "-")
                && label.allSatisfy { Self.isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
        }) else { throw fail("the domain must look like example.com") }
        value = text
    }

    public var description: String { value }
}
