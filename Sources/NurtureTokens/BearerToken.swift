import Crypto
import Foundation

/// The API's bearer tokens: `nt_` and 43 base64url characters (32 random bytes, 256 bits). Only
/// the SHA-256 of a token is stored, so a copy of the store cannot call the API; the token itself
/// is shown once, when it is made. A token is found by its hash, so no comparison ever runs over
/// a secret and there is nothing to time.
public enum BearerToken {
    public static let prefix = "nt_"
    /// `nt_` and 43 characters: a longer or shorter value is no token of ours, and is refused
    /// before any lookup.
    public static let length = prefix.count + 43

    /// A new random token.
    public static func generate() -> String {
        prefix + LinkToken.base64url(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
    }

    /// Whether `text` has a token's shape: the prefix and base64url characters, of the right length.
    public static func isWellFormed(_ text: some StringProtocol) -> Bool {
        text.utf8.count == length && text.hasPrefix(prefix)
            && text.utf8.dropFirst(prefix.count).allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2D || byte == 0x5F
            }
    }

    /// What the store keeps and looks tokens up by: SHA-256, in lowercase hex.
    public static func hash(_ token: some StringProtocol) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
