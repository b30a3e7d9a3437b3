import Foundation

/// Where and how to deliver: the relay's URL, its TLS policy, credentials, connections, timeouts
/// and rate limits.
public struct RelayConfiguration: Sendable {
    public enum Security: Sendable, Equatable {
        /// `smtp://` with STARTTLS required: the connection fails rather than go on in clear text.
        case startTLSRequired
        /// `smtp://` with no TLS: only accepted for loopback relays (tests, a local MTA).
        case none
        /// `smtps://`: TLS from the first byte.
        case implicitTLS
    }

    public struct Credentials: Sendable {
        public var username: String
        public var password: String

        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }
    }

    public var url: String
    public var host: String
    public var security: Security
    public var credentials: Credentials?
    /// Concurrent connections, each reused from one message to the next.
    public var connections: Int
    public var connectTimeout: Duration
    /// Limit for one whole message transaction.
    public var transferTimeout: Duration
    public var rateLimit: RateLimit

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// How many connections a relay may be given: each is a thread and a TLS session, and no relay
    /// accepts more than a few dozen from one client.
    public static let connectionLimit = 1...64

    /// Reads `smtp://host[:port]` or `smtps://host[:port]`. STARTTLS is required by default
    /// except on loopback; `allowPlaintext` lifts that for a trusted relay. `requireTLS`, when
    /// given, decides for `smtp://` instead (true: STARTTLS even on loopback, as tests need).
    ///
    /// Credentials are never sent in clear off loopback: that takes `allowPlaintextAuth` as well,
    /// a separate and explicit choice.
    public init(
        url: String, credentials: Credentials? = nil, allowPlaintext: Bool = false, allowPlaintextAuth: Bool = false,
        requireTLS: Bool? = nil, connections: Int = 1,
        connectTimeout: Duration = .seconds(10), transferTimeout: Duration = .seconds(60), rateLimit: RateLimit = .unlimited
    ) throws(Failure) {
        // Anything between "//" and "@" may be a password: it is never repeated in a message.
        guard !Self.hasUserInfo(url) else {
            throw Failure(description: "put credentials in the environment or a credentials file, never in the relay URL")
        }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let host = components.host, !host.isEmpty
        else { throw Failure(description: "'\(url)' is not a relay URL; write smtp://host:587 or smtps://host:465") }
        guard components.path.isEmpty || components.path == "/", components.user == nil, components.password == nil else {
            throw Failure(description: "put credentials in the environment or a credentials file, never in the relay URL")
        }
        switch scheme {
        case "smtps": security = .implicitTLS
        case "smtp":
            let required = requireTLS ?? !(allowPlaintext || Self.isLoopback(host))
            security = required ? .startTLSRequired : .none
        default: throw Failure(description: "relay URL scheme must be smtp or smtps, not '\(scheme)'")
        }
        guard Self.connectionLimit.contains(connections) else {
            throw Failure(description: "connections must be between \(Self.connectionLimit.lowerBound) and \(Self.connectionLimit.upperBound)")
        }
        if security == .none, credentials != nil, !Self.isLoopback(host), !allowPlaintextAuth {
            throw Failure(description: "the relay \(host) has no TLS, so the password would cross the network in clear; "
                + "use smtps:// or STARTTLS, or add --allow-plaintext-auth if the network is trusted")
        }
        self.url = "\(scheme)://\(host)\(components.port.map { ":\($0)" } ?? "")"
        self.host = host
        self.credentials = credentials
        self.connections = connections
        self.connectTimeout = connectTimeout
        self.transferTimeout = transferTimeout
        self.rateLimit = rateLimit
    }

    /// Whether a URL has a user part (`smtp://user:password@host`), read without parsing it, so that
    /// a malformed URL with a password in it is still caught.
    static func hasUserInfo(_ url: String) -> Bool {
        guard let start = url.range(of: "//") else { return false }
        let authority = url[start.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return authority.contains("@")
    }

    /// Whether the password crosses a network unencrypted: credentials to a relay without TLS off loopback.
    public var sendsPasswordInClear: Bool { security == .none && credentials != nil && !Self.isLoopback(host) }

    /// `localhost`, `::1` or an IPv4 literal in 127.0.0.0/8, and nothing else: a name such as
    /// `127.relay.example` may resolve anywhere.
    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased()
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127"
            && octets.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy { $0.isASCII && $0.isNumber } && UInt8($0) != nil }
    }

    /// Credentials from `NURTURE_SMTP_USERNAME` and `NURTURE_SMTP_PASSWORD`, or from a file holding
    /// the username on its first line and the password on its second. Never from definitions.
    ///
    /// The password is taken as written: only the line end (LF or CRLF) is removed, since spaces
    /// may be part of it. A file that other users can read is refused, as ssh refuses a key.
    public static func credentials(environment: [String: String], file: String?) throws(Failure) -> Credentials? {
        if let file {
            var info = stat()
            // A regular file of a few lines: a device or a huge file is not a credentials file.
            guard stat(file, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size <= 4096,
                  let text = try? String(contentsOfFile: file, encoding: .utf8)
            else {
                throw Failure(description: "cannot read the credentials file \(file)")
            }
            guard info.st_mode & 0o077 == 0 else {
                throw Failure(description: "the credentials file \(file) can be read by other users; "
                    + "make it private with 'chmod 600 \(file)'")
            }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
            guard lines.count >= 2, !lines[0].isEmpty, !lines[1].isEmpty else {
                throw Failure(description: "the credentials file \(file) must hold the username on line 1 and the password on line 2")
            }
            return Credentials(username: lines[0].trimmingCharacters(in: .whitespaces), password: lines[1])
        }
        guard let username = environment["NURTURE_SMTP_USERNAME"], !username.isEmpty else { return nil }
        guard let password = environment["NURTURE_SMTP_PASSWORD"] else {
            throw Failure(description: "NURTURE_SMTP_USERNAME is set but NURTURE_SMTP_PASSWORD is not")
        }
        return Credentials(username: username, password: password)
    }
}
