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

    /// The longest address tracked (it goes into a `Location` header); longer links stay as written.
    public static let maxTargetLength = 2_048
    /// Links tracked per message; later ones stay as written.
    public static let maxLinks = 100

    public struct Problem: Error, Hashable, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The public URL is checked by ``PublicURL``; links in emails must be https.
    public init(publicURL: String, keyring: Keyring) throws(Problem) {
        let url: PublicURL
        do {
            url = try PublicURL(publicURL)
        } catch {
            throw Problem(description: error.description)
        }
        guard url.isHTTPS else {
            throw Problem(description: "--public-url must be https for the links in emails, such as https://mail.example.com")
        }
        self.publicURL = url.base
        self.keyring = keyring
    }

    /// The one-click unsubscribe endpoint under the public URL.
    public var unsubscribeURL: String { "\(publicURL)/unsubscribe" }

    /// Whether an address may be a tracked link's target, and so go into a redirect's `Location`:
    /// http or https with a host, printable ASCII, at most ``maxTargetLength`` characters.
    public static func isTrackable(_ address: String) -> Bool {
        guard address.utf8.count <= maxTargetLength, PublicURL.isPrintable(address), let components = URLComponents(string: address),
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
