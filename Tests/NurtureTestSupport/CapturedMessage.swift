import Foundation

/// One message as ``CaptureServer`` received it: the bytes and the SMTP envelope.
public struct CapturedMessage: Sendable {
    /// The envelope `capture_smtp.py` writes beside each message.
    public struct Envelope: Decodable, Sendable {
        public var mail_from: String
        public var rcpt_tos: [String]
        public var authenticated_as: String?
    }

    public var file: URL
    public var bytes: [UInt8]
    public var envelope: Envelope

    /// The header fields, unfolded, in order.
    public var headers: [(name: String, value: String)] {
        let text = String(decoding: bytes, as: UTF8.self)
        let head = text.components(separatedBy: "\r\n\r\n").first ?? ""
        var fields: [(name: String, value: String)] = []
        for line in head.components(separatedBy: "\r\n") {
            if line.first == " " || line.first == "\t", !fields.isEmpty {
                fields[fields.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                fields.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
        }
        return fields
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public var messageID: String? { header("Message-ID") }
    public var recipient: String? { envelope.rcpt_tos.first }

    /// The `Date:` header, read as RFC 5322 writes it.
    public var date: Date? {
        guard let text = header("Date") else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.date(from: text.trimmingCharacters(in: .whitespaces))
    }

    /// The body of a single-part quoted-printable message (a rep notice), decoded.
    public var quotedPrintableBody: String {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { return "" }
        let encoded = text[split.upperBound...].replacingOccurrences(of: "=\r\n", with: "")
        var decoded: [UInt8] = []
        var utf8 = Array(encoded.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "="), utf8.count >= 2, let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                decoded.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                decoded.append(byte)
            }
        }
        return String(decoding: decoded, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    }
}
