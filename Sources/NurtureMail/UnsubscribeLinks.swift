import Foundation
import NurtureCore

/// Where a recipient unsubscribes: a one-click https endpoint and a mailto (RFC 2369, RFC 8058).
///
/// Both are checked once, here, because they go into every message's `List-Unsubscribe` header:
/// the endpoint must be an https URL of printable ASCII without spaces, angle brackets or quotes,
/// at most ``maxURLLength`` characters; the mailbox must be a ``MailAddress``.
public struct UnsubscribeLinks: Sendable {
    public let baseURL: String
    public let mailbox: String

    public static let maxURLLength = 512

    public struct Problem: Error, Hashable, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init(baseURL: String, mailbox: String) throws(Problem) {
        let shown = baseURL.count > 80 ? "\(baseURL.prefix(80))…" : baseURL
        func refuse(_ reason: String) -> Problem {
            Problem(description: "unsubscribe URL '\(shown.controlCharactersEscaped)' \(reason)")
        }
        guard baseURL.utf8.count <= Self.maxURLLength else { throw refuse("is longer than \(Self.maxURLLength) characters") }
        guard baseURL.utf8.allSatisfy({ (33...126).contains($0) && !"<>\"\\`{}|^".utf8.contains($0) }) else {
            throw refuse("may only hold printable ASCII, without spaces, <, >, quotes or backslashes")
        }
        guard let components = URLComponents(string: baseURL), components.scheme?.lowercased() == "https",
              let host = components.host, !host.isEmpty, components.user == nil, components.password == nil,
              components.fragment == nil
        else { throw refuse("must be an https URL such as https://example.com/unsubscribe, without a fragment or credentials") }
        do throws(MailAddress.Problem) {
            _ = try MailAddress(mailbox)
        } catch {
            throw Problem(description: "unsubscribe mailbox: \(error)")
        }
        self.baseURL = baseURL
        self.mailbox = mailbox
    }

    /// The lead's own links; the token identifies the lead and the send.
    func links(token: String) -> (https: String, mailto: String) {
        let separator = baseURL.contains("?") ? "&" : "?"
        return ("\(baseURL)\(separator)t=\(token)", "mailto:\(mailbox)?subject=unsubscribe%20\(token)")
    }
}
