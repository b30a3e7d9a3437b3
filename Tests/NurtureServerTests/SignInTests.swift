import Foundation
import Hummingbird
import HummingbirdTesting
import NurtureServer
import NurtureStore
import NurtureTestSupport
import NurtureTokens
import Testing

/// Signing in by a one-time link: a GET never uses the link, a POST uses it once, a replayed or
/// expired link is refused and starts no session; the cookie's attributes; signing out.
@Suite(.timeLimit(.minutes(8)))
struct SignInTests {
    @Test func aGETShowsTheButtonAndThePOSTUsesTheLinkOnce() async throws {
        let fixture = try RepPagesFixture()
        defer { fixture.remove() }
        let token = try fixture.link(for: RepPagesFixture.hannah.email)
        let hash = try #require(SecretToken(token)).hash
        try await Application(router: fixture.service.router()).test(.router) { client in
            // Mail scanners fetch the link, maybe more than once: it still works afterwards.
            for _ in 0..<2 {
                try await client.execute(uri: "/signin/\(token)", method: .get) { response in
                    #expect(response.status == .ok)
                    let page = String(buffer: response.body)
                    #expect(page.contains("<form method=\"post\"><button type=\"submit\">Sign in</button></form>"))
                    #expect(!page.contains(token), "the page does not echo the token")
                    #expect(response.headers[.setCookie] == nil)
                }
            }
            #expect(try fixture.store.signInLink(hash: hash, now: Date()) == .valid(email: RepPagesFixture.hannah.email))
            let session = try await client.execute(uri: "/signin/\(token)", method: .post) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/rep")
                return RepPagesFixture.sessionValue(response.headers[.setCookie] ?? "")
            }
            #expect(SecretToken(session) != nil, "a 256-bit session id in the cookie")
            try await client.execute(uri: "/rep", method: .get, headers: RepPagesFixture.cookie(session)) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("Signed in as hannah.lee@example.com"))
            }
            // The link is used up: a replay is refused, starts no session, and a GET says so too.
            for method in [HTTPRequest.Method.post, .get] {
                try await client.execute(uri: "/signin/\(token)", method: method) { response in
                    #expect(response.status == .gone, "\(method)")
                    #expect(response.headers[.setCookie] == nil)
                    #expect(String(buffer: response.body).contains("already used"))
                }
            }
        }
    }

    @Test func anExpiredUnknownOrMalformedLinkIsRefusedAndStartsNoSession() async throws {
        let fixture = try RepPagesFixture()
        defer { fixture.remove() }
        let expired = try fixture.link(for: RepPagesFixture.hannah.email, expiresIn: -1)
        try await Application(router: fixture.service.router()).test(.router) { client in
            for method in [HTTPRequest.Method.get, .post] {
                try await client.execute(uri: "/signin/\(expired)", method: method) { response in
                    #expect(response.status == .gone)
                    #expect(response.headers[.setCookie] == nil)
                    #expect(String(buffer: response.body).contains("expired"))
                }
                for token in [SecretToken.random().text, "short", String(repeating: "A", count: 44), String(repeating: "*", count: 43)] {
                    try await client.execute(uri: "/signin/\(token)", method: method) { response in
                        #expect(response.status == .notFound, "\(method) \(token)")
                        #expect(response.headers[.setCookie] == nil)
                    }
                }
            }
        }
        #expect(try fixture.store.signInLink(hash: SecretToken(expired)!.hash, now: Date()) == .expired)
    }

    @Test func someoneNoLongerInLifecycleYmlGetsNoSession() async throws {
        let fixture = try RepPagesFixture()
        defer { fixture.remove() }
        let token = try fixture.link(for: "former.rep@example.com")
        try await Application(router: fixture.service.router()).test(.router) { client in
            try await client.execute(uri: "/signin/\(token)", method: .post) { response in
                #expect(response.status == .forbidden)
                #expect(response.headers[.setCookie] == nil)
            }
        }
    }

    @Test func theCookieIsHttpOnlySameSiteLaxForTheWholeSiteAndSecureUnderHTTPS() async throws {
        for (url, secure) in [("https://nurture.example.com", true), ("http://127.0.0.1:8080", false)] {
            let fixture = try RepPagesFixture(publicURL: url)
            defer { fixture.remove() }
            let token = try fixture.link(for: RepPagesFixture.hannah.email)
            try await Application(router: fixture.service.router()).test(.router) { client in
                try await client.execute(uri: "/signin/\(token)", method: .post) { response in
                    let cookie = try #require(response.headers[.setCookie])
                    let attributes = Set(cookie.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
                    #expect(attributes.isSuperset(of: ["httponly", "samesite=lax", "path=/", "max-age=43200"]), "\(cookie)")
                    #expect(attributes.contains("secure") == secure, "\(url): \(cookie)")
                }
            }
        }
    }

    @Test func withoutASessionPagesSendToSignInAndPostsAreRefused() async throws {
        let fixture = try RepPagesFixture()
        defer { fixture.remove() }
        let id = try fixture.handOff("L-1", to: RepPagesFixture.hannah)
        try await Application(router: fixture.service.router()).test(.router) { client in
            for path in ["/rep", "/rep/sla", "/rep/handoffs/\(id)", "/team"] {
                for headers in [HTTPFields(), RepPagesFixture.cookie(SecretToken.random().text), RepPagesFixture.cookie("junk")] {
                    try await client.execute(uri: path, method: .get, headers: headers) { response in
                        #expect(response.status == .seeOther, "\(path)")
                        #expect(response.headers[.location] == "/signin")
                    }
                }
            }
            try await client.execute(uri: "/signin", method: .get) { response in
                #expect(String(buffer: response.body).contains("Ask your marketing ops team"))
            }
            try await client.execute(
                uri: "/rep/handoffs/\(id)/accept", method: .post, headers: RepPagesFixture.form(SecretToken.random().text),
                body: ByteBuffer(string: "csrf=x")
            ) { #expect($0.status == .forbidden) }
        }
        #expect(try fixture.status(of: id) == .open)
    }

    @Test func signingOutEndsTheSession() async throws {
        let fixture = try RepPagesFixture()
        defer { fixture.remove() }
        try await Application(router: fixture.service.router()).test(.router) { client in
            let session = try await fixture.signIn(RepPagesFixture.hannah.email, client: client)
            let csrf = try await client.execute(uri: "/rep", method: .get, headers: RepPagesFixture.cookie(session)) {
                RepPagesFixture.csrf(in: String(buffer: $0.body))
            }
            try await client.execute(
                uri: "/signout", method: .post, headers: RepPagesFixture.form(session), body: ByteBuffer(string: "csrf=\(try #require(csrf))")
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.setCookie]?.contains("Max-Age=0") == true)
            }
            try await client.execute(uri: "/rep", method: .get, headers: RepPagesFixture.cookie(session)) { #expect($0.status == .seeOther) }
            #expect(try fixture.store.sessionEmail(hash: #require(SecretToken(session)).hash, now: Date()) == nil)
        }
    }
}
