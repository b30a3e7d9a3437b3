import Foundation
import Hummingbird
import HummingbirdTesting
import NurtureServer
import NurtureStore
import NurtureTokens
import Testing

/// Every API route refuses a caller without a valid bearer token: 401 with the Bearer challenge,
/// and nothing stored or shown.
@Suite(.timeLimit(.minutes(8)))
struct APIAuthenticationTests {
    static let routes: [(String, HTTPRequest.Method)] = [
        ("/api/events", .post), ("/api/handoffs", .get), ("/api/handoffs/1", .get), ("/api/handoffs/1/accept", .post),
        ("/api/requests", .get), ("/api/requests", .post),
    ]

    @Test func aMissingUnknownMalformedOrRevokedTokenIs401() async throws {
        let fixture = try APIFixture()
        defer { fixture.remove() }
        let crm = try fixture.token(.source, "crm")
        let revoked = try fixture.token(.source, "old-crm")
        let revokedID = try #require(try fixture.store.apiTokens().first { $0.name == "old-crm" }).id
        #expect(try fixture.store.revokeAPIToken(revokedID, at: Date()))
        let line = #"{"at": "\#(APIFixture.ago(5))", "type": "email_click", "lead": "L-1", "id": "x"}"#
        let refused: [HTTPFields] = [
            [:],
            APIFixture.bearer(revoked),
            APIFixture.bearer(BearerToken.generate()),
            APIFixture.bearer(String(crm.dropLast())),
            APIFixture.bearer(crm + "A"),
            [.authorization: "Basic \(Data("crm:\(crm)".utf8).base64EncodedString())"],
            [.authorization: "Bearer"],
            [.authorization: crm],
        ]
        let app = Application(router: fixture.service.router())
        try await app.test(.router) { client in
            for headers in refused {
                for (uri, method) in Self.routes {
                    var headers = headers
                    headers[.contentType] = "application/x-ndjson"
                    try await client.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: line)) { response in
                        #expect(response.status == .unauthorized, "\(method) \(uri)")
                        #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") ?? false)
                        let text = String(buffer: response.body)
                        #expect(!text.contains(String(crm.dropFirst(3).prefix(40))) && !text.contains(String(revoked.dropFirst(3))), "a token is never echoed")
                    }
                }
            }
            // The bearer scheme is case-insensitive, and a valid token is let through.
            try await client.execute(
                uri: "/api/events", method: .post, headers: [.authorization: "bearer \(crm)", .contentType: "application/x-ndjson"],
                body: ByteBuffer(string: line)
            ) { #expect($0.status == .ok) }
        }
        #expect(try fixture.events(of: "L-1") == ["email_click"], "only the valid token's event")
    }

    @Test func tokensAreStoredAsHashesAndFoundOnlyWhileActive() throws {
        let fixture = try APIFixture()
        defer { fixture.remove() }
        let token = BearerToken.generate()
        #expect(token.hasPrefix("nt_") && token.count == 46 && BearerToken.isWellFormed(token))
        #expect(BearerToken.generate() != token)
        let hash = BearerToken.hash(token)
        #expect(hash.count == 64 && hash != token)
        let id = try fixture.store.addAPIToken(kind: .rep, name: "hannah.lee@example.com", hash: hash, at: Date())
        #expect(try fixture.store.activeAPIToken(hash: hash)?.id == id)
        #expect(try fixture.store.activeAPIToken(hash: BearerToken.hash(BearerToken.generate())) == nil)
        #expect(try fixture.store.revokeAPIToken(id, at: Date()))
        #expect(try !fixture.store.revokeAPIToken(id, at: Date()), "revoked once")
        #expect(try fixture.store.activeAPIToken(hash: hash) == nil)
        #expect(try fixture.store.apiTokens().first?.revokedAt != nil)
    }
}
