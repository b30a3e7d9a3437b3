import NurtureMail
import Foundation
import NurtureCore
@testable import NurtureMail
import NurtureTokens
import Testing

/// Tracked links in the HTML part: only when the sequence asks, only http(s) links, never the
/// unsubscribe link or the text part, each token signed for its link.
@Suite struct TrackingRenderingTests {
    static let keyring = Keyring.rotated(nil, now: Date())
    static let tracking = try! TrackingLinks(publicURL: "https://mail.example.com/", keyring: keyring)
    static let template = EmailTemplate(
        name: "test/links", subject: "Links for {{first_name}}",
        body: """
            Hi {{first_name}},

            [The story](https://northwind.example.com/customers/fernhill?utm_source=nurture&x=1), \
            [pricing](https://northwind.example.com/pricing) and [write to me](mailto:elena@example.com).

            [Unsubscribe]({{unsubscribe_url}})
            """)

    static func render(tracking: TrackingLinks?) throws -> RenderedEmail {
        var request = MIMERenderingTests.request(template: template)
        request.tracking = tracking
        return try MessageRenderer.render(request)
    }

    @Test func withoutTrackingTheHTMLKeepsItsLinksAndHasNoPixel() throws {
        let email = try Self.render(tracking: nil)
        #expect(email.links.isEmpty)
        #expect(email.html.contains("href=\"https://northwind.example.com/pricing\""))
        #expect(!email.html.contains("/t/c/") && !email.html.contains("/t/o/"))
    }

    @Test func withTrackingHTTPLinksAreSignedClickLinksAndAPixelIsAdded() throws {
        let email = try Self.render(tracking: Self.tracking)
        #expect(email.links == ["https://northwind.example.com/customers/fernhill?utm_source=nurture&x=1", "https://northwind.example.com/pricing"])
        let clicks = email.html.components(separatedBy: "href=\"https://mail.example.com/t/c/").dropFirst()
            .map { String($0.prefix { $0 != "\"" }) }
        #expect(clicks.count == 2)
        for (index, token) in clicks.enumerated() {
            let claims = try #require(LinkToken.verify(token, for: .click, with: Self.keyring))
            #expect(claims.link == index && claims.leadID == "L-1" && claims.messageKey == "L-1|post-webinar|recording|1")
        }
        let pixel = try #require(email.html.components(separatedBy: "src=\"https://mail.example.com/t/o/").dropFirst().first)
        #expect(LinkToken.verify(String(pixel.prefix { $0 != "\"" }), for: .open, with: Self.keyring)?.messageKey == "L-1|post-webinar|recording|1")
        // The mailto and unsubscribe links are not tracked; the text part keeps the real addresses.
        #expect(email.html.contains("href=\"mailto:elena@example.com\""))
        #expect(email.html.contains("href=\"https://nurture.example.com/unsubscribe?t="))
        #expect(email.text.contains("https://northwind.example.com/pricing") && !email.text.contains("/t/c/"))
    }

    @Test func thePublicURLIsCheckedOnce() {
        for bad in ["http://mail.example.com", "https://mail.example.com/?q=1", "https://user:pw@mail.example.com", "https://mail example.com",
                    "https://mail.example.com/#top", "https://" + String(repeating: "a", count: 600) + ".example"] {
            #expect(throws: TrackingLinks.Problem.self, "\(bad.prefix(40))") { try TrackingLinks(publicURL: bad, keyring: Self.keyring) }
        }
        #expect(Self.tracking.unsubscribeURL == "https://mail.example.com/unsubscribe")
        #expect(!TrackingLinks.isTrackable("javascript:alert(1)") && !TrackingLinks.isTrackable("https://a.example/\r\nSet-Cookie: x"))
    }
}
