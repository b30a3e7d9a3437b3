import Foundation
import NurtureCore
import NurtureTokens

/// Signed click and open tracking for a message's HTML part (sequences with `tracking: true`).
///
/// Each http or https link in the HTML becomes `{public URL}/t/c/TOKEN`, the token signed for the
/// lead, the message and the link's index, and an open pixel `{public URL}/t/o/TOKEN` is added.
/// The addresses themselves are returned, to be stored with the send: the web service redirects a
/// click only to the stored address, never to one the request names. The text part and the
/// unsubscribe link are left as they are.
public struct TrackingLinks: Sendable {
    /// The service's public address, without a trailing slash: `https://mail.example.com`.
    public let publicURL: String
    public let keyring: Keyring

    public static let maxPublicURLLength = 512
    /// The longest address tracked (it goes into a `Location` header); longer links stay as written.
    public static let maxTargetLength = 2_048
    /// Links tracked per message; later ones stay as written.
    public static let maxLinks = 100

    public struct Problem: Error, Hashable, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Checks the public URL once, here: an https URL of printable ASCII with a host and at most a
    /// path, no query, fragment or credentials, at most ``maxPublicURLLength`` characters.
    public init(publicURL: String, keyring: Keyring) throws(Problem) {
        let shown = publicURL.count > 80 ? "\(publicURL.prefix(80))…" : publicURL
        func refuse(_ reason: String) -> Problem { Problem(description: "public URL '\(shown.controlCharactersEscaped)' \(reason)") }
        guard publicURL.utf8.count <= Self.maxPublicURLLength else { throw refuse("is longer than \(Self.maxPublicURLLength) characters") }
        guard Self.isPrintable(publicURL) else {
            throw refuse("may only hold printable ASCII, without spaces, <, >, quotes or backslashes")
        }
        guard let components = URLComponents(string: publicURL), components.scheme?.lowercased() == "https",
              let host = components.host, !host.isEmpty, components.user == nil, components.password == nil,
              components.query == nil, components.fragment == nil
        else { throw refuse("must be an https URL such as https://mail.example.com, without a query, a fragment or credentials") }
        var base = publicURL
        while base.hasSuffix("/") { base.removeLast() }
        self.publicURL = base
        self.keyring = keyring
    }

    /// The one-click unsubscribe endpoint under the public URL.
    public var unsubscribeURL: String { "\(publicURL)/unsubscribe" }

    /// Printable ASCII without spaces, angle brackets, quotes, backslashes and the other characters
    /// a URL never holds as they are.
    static func isPrintable(_ text: String) -> Bool {
        text.utf8.allSatisfy { (33...126).contains($0) && !"<>\"\\`{}|^".utf8.contains($0) }
    }

    /// Whether an address may be a tracked link's target, and so go into a redirect's `Location`:
    /// http or https with a host, printable ASCII, at most ``maxTargetLength`` characters.
    public static func isTrackable(_ address: String) -> Bool {
        guard address.utf8.count <= maxTargetLength, isPrintable(address), let components = URLComponents(string: address),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty
        else { return false }
        return true
    }

    /// The HTML with its links tracked and the open pixel added, and the tracked addresses by index.
    func track(_ html: String, leadID: String, messageKey: String, unsubscribeURL: String) -> (html: String, links: [String]) {
        var result = ""
        result.reserveCapacity(html.utf8.count + 1024)
        var links: [String] = []
        var rest = Substring(html)
        while let attribute = rest.range(of: "href=\"") {
            let before = rest[..<attribute.lowerBound]
            result += rest[..<attribute.upperBound]
            rest = rest[attribute.upperBound...]
            let end = rest.firstIndex(of: "\"") ?? rest.endIndex
            let written = rest[..<end]
            rest = rest[end...]
            let address = LinkTargets.unescaped(String(written))
            // `href` itself, not `data-href`: the attribute name starts after a blank.
            guard before.last.map({ $0 == " " || $0 == "\n" || $0 == "\t" }) ?? false, links.count < Self.maxLinks,
                  address != unsubscribeURL, Self.isTrackable(address)
            else {
                result += written
                continue
            }
            let token = LinkToken.sign(.init(purpose: .click, leadID: leadID, messageKey: messageKey, link: links.count), with: keyring)
            links.append(address)
            result += "\(publicURL)/t/c/\(token)"
        }
        result += rest
        let pixel = LinkToken.sign(.init(purpose: .open, leadID: leadID, messageKey: messageKey), with: keyring)
        result += "\n<img src=\"\(publicURL)/t/o/\(pixel)\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;border:0\">"
        return (result, links)
    }
}
