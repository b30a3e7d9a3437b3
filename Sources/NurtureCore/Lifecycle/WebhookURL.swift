import Foundation

/// The one check for a webhook address: https, or plain http to this machine (a local relay or a
/// test receiver); at most 2,000 characters; no credentials, spaces or control characters.
public enum WebhookURL {
    public static let maximumLength = 2_000

    /// Nil when `text` is a usable webhook address; otherwise what is wrong with it.
    public static func problem(_ text: String) -> String? {
        guard text.utf8.count <= maximumLength else { return "longer than \(maximumLength) characters" }
        guard !text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) else {
            return "contains spaces or control characters"
        }
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            return "not a URL such as https://crm.example.com/hooks/nurture"
        }
        guard url.user == nil, url.password == nil else { return "carries credentials; the signature authenticates the sender" }
        switch scheme {
        case "https": return nil
        case "http" where ["127.0.0.1", "localhost", "::1"].contains(host.lowercased()): return nil
        default: return "must be https (plain http only to this machine)"
        }
    }
}
