import Crypto
import Foundation

/// A signed link token: `v1.<key id>.<payload>.<tag>`, payload and tag in base64url. The tag is
/// the first 16 bytes of HMAC-SHA256 over everything before it, under the named key, and is
/// checked in constant time. Only these characters appear, so a token is safe in a URL, a header
/// and a mailto subject.
public enum LinkToken {
    /// What a token is for: the same scheme signs each, and a token for one is refused as another.
    public enum Purpose: String, Sendable, CaseIterable {
        case unsubscribe = "u"
        case click = "c"
        case open = "o"
    }

    /// What a valid token says: which lead, which message, and for clicks the link's index.
    public struct Claims: Sendable, Equatable {
        public var purpose: Purpose
        public var leadID: String
        public var messageKey: String
        public var link: Int?

        public init(purpose: Purpose, leadID: String, messageKey: String, link: Int? = nil) {
            self.purpose = purpose
            self.leadID = leadID
            self.messageKey = messageKey
            self.link = link
        }
    }

    /// Longest token accepted: anything longer is refused before any work.
    public static let maxLength = 2_048
    static let separator: Character = "\u{1F}"

    public static func sign(_ claims: Claims, with keyring: Keyring) -> String {
        let key = keyring.key(keyring.current)!
        let fields = [claims.purpose.rawValue, claims.leadID, claims.messageKey, claims.link.map(String.init) ?? ""]
        let payload = base64url(Data(fields.joined(separator: String(separator)).utf8))
        let signed = "v1.\(key.id).\(payload)"
        return "\(signed).\(base64url(tag(signed, key: key)))"
    }

    /// The claims of a token signed by one of the keyring's keys for `purpose`; nil for anything
    /// else (forged, altered, signed by an unknown or removed key, for another purpose, malformed).
    public static func verify(_ token: String, for purpose: Purpose, with keyring: Keyring) -> Claims? {
        guard token.utf8.count <= maxLength else { return nil }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "v1", let key = keyring.key(String(parts[1])),
              let given = data(base64url: String(parts[3])), given.count == 16
        else { return nil }
        let signed = parts[0...2].joined(separator: ".")
        // Constant time: every byte is compared whatever the first difference.
        guard tag(signed, key: key).withUnsafeBytes({ expected in
            given.withUnsafeBytes { actual in zip(expected, actual).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0 }
        }) else { return nil }
        guard let payload = data(base64url: String(parts[2])), let text = String(data: payload, encoding: .utf8) else { return nil }
        let fields = text.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 4, fields[0] == purpose.rawValue, !fields[1].isEmpty else { return nil }
        let link = fields[3].isEmpty ? nil : Int(fields[3])
        guard fields[3].isEmpty || link != nil else { return nil }
        return Claims(purpose: purpose, leadID: fields[1], messageKey: fields[2], link: link)
    }

    static func tag(_ signed: String, key: Keyring.Key) -> Data {
        Data(HMAC<SHA256>.authenticationCode(for: Data(signed.utf8), using: SymmetricKey(data: key.secret)).prefix(16))
    }

    static func base64url(_ data: Data) -> String {
        String(decoding: data.base64EncodedString().utf8.compactMap { byte -> UInt8? in
            switch byte {
            case UInt8(ascii: "+"): UInt8(ascii: "-")
            case UInt8(ascii: "/"): UInt8(ascii: "_")
            case UInt8(ascii: "="): nil
            default: byte
            }
        }, as: UTF8.self)
    }

    static func data(base64url text: String) -> Data? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        // Canonical only: the last character's unused bits must be zero, so one token has one
        // spelling and an altered character never decodes to the same bytes.
        guard let data = Data(base64Encoded: base64), base64url(data) == text else { return nil }
        return data
    }
}
