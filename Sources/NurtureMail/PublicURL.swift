import Foundation

/// The address the web service is reached at from outside (`--public-url`): tracked links, open
/// pixels, the unsubscribe endpoint and sign-in links are made from it, and an https address makes
/// the session cookie `Secure`. Checked here, once.
public struct PublicURL: Sendable, Equatable {
    /// The base, without a trailing slash: `https://nurture.example.com` or `https://example.com/nurture`.
    public let base: String
    public var isHTTPS: Bool { base.hasPrefix("https://") }

    /// Longest address accepted.
    public static let maxLength = 512

    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    public init(_ text: String) throws(Problem) {
        var trimmed = text
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard trimmed.utf8.count <= Self.maxLength else {
            throw Problem(description: "--public-url is longer than \(Self.maxLength) characters")
        }
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, url.user == nil, url.password == nil, url.query == nil, url.fragment == nil,
              Self.isPrintable(trimmed)
        else {
            throw Problem(description: "--public-url is the service's address as reached from outside, e.g. https://nurture.example.com "
                + "(http or https, a host, no query, no login)")
        }
        base = scheme + trimmed.dropFirst(scheme.count)
    }

    /// Printable ASCII without spaces, angle brackets, quotes, backslashes and the other characters
    /// a URL never holds as they are.
    static func isPrintable(_ text: String) -> Bool {
        text.utf8.allSatisfy { (33...126).contains($0) && !"<>\"\\`{}|^".utf8.contains($0) }
    }

    /// The sign-in link for a token.
    public func signInLink(_ token: String) -> String { "\(base)/signin/\(token)" }
}
