import Foundation

/// The address the service is reached at from outside (`--public-url`): sign-in links are made
/// from it, and an https address makes the session cookie `Secure`. Checked here, once.
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
              trimmed.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 32 && $0.value < 127 })
        else {
            throw Problem(description: "--public-url is the service's address as reached from outside, e.g. https://nurture.example.com "
                + "(http or https, a host, no query, no login)")
        }
        base = scheme + trimmed.dropFirst(scheme.count)
    }

    /// The sign-in link for a token.
    public func signInLink(_ token: String) -> String { "\(base)/signin/\(token)" }
}
