/// The API's bearer tokens: `nt_` and 43 base64url characters (32 random bytes, 256 bits). Only
/// the SHA-256 of a token is stored, so a copy of the store cannot call the API; the token itself
/// is shown once, when it is made. A token is found by its hash, so no comparison ever runs over
/// a secret and there is nothing to time.
public enum BearerToken {
    public static let prefix = "nt_"
    /// `nt_` and a secret's 43 characters: a longer or shorter value is no token of ours, and is
    /// refused before any lookup.
    public static let length = prefix.count + SecretToken.length

    /// A new random token.
    public static func generate() -> String { prefix + SecretToken.random().text }

    /// Whether `text` has a token's shape: the prefix and a well-formed secret.
    public static func isWellFormed(_ text: some StringProtocol) -> Bool {
        text.hasPrefix(prefix) && SecretToken(text.dropFirst(prefix.count)) != nil
    }

    /// What the store keeps and looks tokens up by: SHA-256, in lowercase hex.
    public static func hash(_ token: some StringProtocol) -> String { SecretToken.sha256Hex(token) }
}
