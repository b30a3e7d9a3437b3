import Foundation
import NurtureTokens
import Testing

/// The link-token scheme: what a valid token says, and every way a token is refused.
@Suite("Link tokens")
struct LinkTokenTests {
    let claims = LinkToken.Claims(purpose: .unsubscribe, leadID: "L-1", messageKey: "L-1|post-webinar|1772460000000|recording|1")

    @Test func aTokenSaysWhichLeadAndMessageUnderItsPurpose() {
        let ring = Keyring.rotated(nil, now: Date())
        let token = LinkToken.sign(claims, with: ring)
        #expect(LinkToken.verify(token, for: .unsubscribe, with: ring) == claims)
        #expect(token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }, "URL-safe: \(token)")
        #expect(LinkToken.verify(token, for: .click, with: ring) == nil, "a token for one purpose is refused as another")
    }

    @Test func forgedAlteredOrForeignTokensAreRefused() {
        let ring = Keyring.rotated(nil, now: Date())
        let token = LinkToken.sign(claims, with: ring)
        let parts = token.split(separator: ".").map(String.init)
        // Another lead's id in the payload, with the original tag.
        let other = LinkToken.sign(.init(purpose: .unsubscribe, leadID: "L-2", messageKey: claims.messageKey), with: ring)
        let swapped = [parts[0], parts[1], other.split(separator: ".")[2].description, parts[3]].joined(separator: ".")
        #expect(LinkToken.verify(swapped, for: .unsubscribe, with: ring) == nil)
        // One flipped character in the tag.
        var tag = Array(parts[3])
        tag[0] = tag[0] == "A" ? "B" : "A"
        #expect(LinkToken.verify([parts[0], parts[1], parts[2], String(tag)].joined(separator: "."), for: .unsubscribe, with: ring) == nil)
        // Any other last character, even one that differs only in the bits base64 leaves unused:
        // one token has one spelling.
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        for character in alphabet where character != token.last {
            #expect(LinkToken.verify(String(token.dropLast()) + String(character), for: .unsubscribe, with: ring) == nil, "\(character)")
        }
        // Signed by another installation's keyring.
        #expect(LinkToken.verify(token, for: .unsubscribe, with: Keyring.rotated(nil, now: Date())) == nil)
        // The old unkeyed token (16 hex digits), and junk.
        for junk in ["3f1c0e5a9b7d2c4e", "", "v1", "v1...", "v1.x.y.z", String(repeating: "a", count: 5_000), "v1.\(parts[1]).%00.\(parts[3])"] {
            #expect(LinkToken.verify(junk, for: .unsubscribe, with: ring) == nil, "\(junk.prefix(40))")
        }
    }

    @Test func aRotatedKeyringStillChecksOldLinksAndSignsWithTheNewKey() {
        let old = Keyring.rotated(nil, now: Date())
        let token = LinkToken.sign(claims, with: old)
        let rotated = Keyring.rotated(old, now: Date())
        #expect(rotated.keys.count == 2 && rotated.current != old.current)
        #expect(LinkToken.verify(token, for: .unsubscribe, with: rotated) == claims)
        let fresh = LinkToken.sign(claims, with: rotated)
        #expect(fresh.split(separator: ".")[1] == Substring(rotated.current))
        // A key removed from the ring no longer checks its links.
        var retired = rotated
        retired.keys.removeAll { $0.id == old.current }
        #expect(LinkToken.verify(token, for: .unsubscribe, with: retired) == nil)
    }

    @Test func theKeyringFileIsPrivateAndRefusedWhenOthersCanReadIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nurture-keyring-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("nurture.keys").path
        let ring = Keyring.rotated(nil, now: Date())
        try ring.save(path: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try Keyring.load(path: path) == ring)
        chmod(path, 0o644)
        #expect(throws: Keyring.Problem.self) { try Keyring.load(path: path) }
        #expect(throws: Keyring.Problem.self) { try Keyring.load(path: "/dev/zero") }
        #expect(throws: Keyring.Problem.self) { try Keyring.load(path: folder.appendingPathComponent("missing").path) }
    }
}
