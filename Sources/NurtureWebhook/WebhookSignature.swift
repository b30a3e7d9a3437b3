import Crypto
import Foundation

/// The signature a webhook receiver checks: HMAC-SHA256 under the shared secret, over the
/// timestamp, a dot and the body, sent as `X-Nurture-Signature: t=<unix seconds>,v1=<hex>`.
/// Signing the time lets a receiver refuse a replayed request (older than, say, five minutes).
public enum WebhookSignature {
    public static let header = "X-Nurture-Signature"
    /// A shared secret shorter than this is refused: it could be guessed.
    public static let minimumSecretLength = 16

    /// A notice's key as a header-safe id (hex), the same for every attempt at it.
    public static func deliveryID(_ key: String) -> String {
        SHA256.hash(data: Array(key.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    public static func value(body: [UInt8], secret: [UInt8], timestamp: Int64) -> String {
        var message = Array("\(timestamp).".utf8)
        message += body
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret))
        return "t=\(timestamp),v1=\(code.map { String(format: "%02x", $0) }.joined())"
    }
}
