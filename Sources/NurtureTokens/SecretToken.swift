import Crypto
import Foundation

/// A random secret handed to one person: a sign-in link's token or a session id. 256 random bits,
/// written as 43 base64url characters. The store keeps only its SHA-256 hash, so a copy of the
/// database cannot sign anyone in. The CSRF token of a session is derived from its secret, so it
/// needs no storage and a page that leaks it does not leak the session.
public struct SecretToken: Sendable, Hashable {
    /// The token as it travels in a link or a cookie.
    public let text: String

    /// A new secret from the system's cryptographic random source.
    public static func random() -> SecretToken {
        let key = SymmetricKey(size: .bits256)
        return SecretToken(uncheckedText: key.withUnsafeBytes { LinkToken.base64url(Data($0)) })
    }

    private init(uncheckedText: String) { text = uncheckedText }

    /// Characters in a secret: 256 bits in base64url.
    public static let length = 43

    /// The one place a token from outside is checked: exactly 43 base64url characters (256 bits),
    /// anything else is nil before any other work.
    public init?(_ text: some StringProtocol) {
        guard text.utf8.count == Self.length, text.utf8.allSatisfy({ Self.alphabet.contains($0) }) else { return nil }
        self.text = String(text)
    }

    static let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// What the store keeps: the SHA-256 hash, in lowercase hex.
    public var hash: String { Self.sha256Hex(text) }

    /// SHA-256 in lowercase hex: how every secret handed out (sign-in links, sessions, API tokens)
    /// is kept and looked up.
    public static func sha256Hex(_ text: some StringProtocol) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The CSRF token of the session this secret opens: HMAC-SHA256 under the secret, base64url.
    public var csrfToken: String {
        LinkToken.base64url(Data(HMAC<SHA256>.authenticationCode(for: Data("nurture csrf v1".utf8), using: SymmetricKey(data: Data(text.utf8)))))
    }

    /// Whether `given` is this session's CSRF token, compared in constant time whatever the first difference.
    public func checksCSRF(_ given: String?) -> Bool {
        let expected = Array(csrfToken.utf8)
        guard let given = given.map({ Array($0.utf8) }), given.count == expected.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
