import Foundation
import Hummingbird
import HummingbirdTesting
import NurtureCore
import NurtureServer
import NurtureStore
import NurtureTestSupport
import NurtureTokens
import Testing

/// One-click unsubscribe against a real SQLite store, in process and over a real socket.
/// (Three minutes: while the crash tests block threads, the other suites wait for one.)
@Suite(.timeLimit(.minutes(8)))
struct UnsubscribeRouteTests {
    struct Fixture {
        let folder: URL
        let store: SQLiteStore
        let keyring = Keyring.rotated(nil, now: Date())
        let service: WebService

        init() throws {
            folder = try TemporaryFolder.make("nurture-web")
            store = try SQLiteStore(path: folder.appendingPathComponent("nurture.sqlite").path)
            _ = try store.upsert([Lead(id: "L-1", email: "ana@acme.example", stage: "lead", attributes: ["first_name": "Ana"])])
            service = WebService(store: store, keyring: keyring)
        }

        func token(lead: String = "L-1", purpose: LinkToken.Purpose = .unsubscribe) -> String {
            LinkToken.sign(.init(purpose: purpose, leadID: lead, messageKey: "\(lead)|post-webinar|1|recording|1"), with: keyring)
        }

        func suppressed() throws -> Bool { try store.leadsForSending(["L-1"])["L-1"]?.suppressed ?? false }
    }

    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test func aGETShowsAButtonAndNeverUnsubscribes() async throws {
        let fixture = try Fixture()
        defer { TemporaryFolder.remove(fixture.folder) }
        let app = Application(router: fixture.service.router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/unsubscribe?t=\(fixture.token())", method: .get) { response in
                #expect(response.status == .ok)
                let page = String(buffer: response.body)
                #expect(page.contains("<form method=\"post\"") && page.contains("name=\"List-Unsubscribe\" value=\"One-Click\""))
            }
        }
        #expect(try !fixture.suppressed(), "a link scanner's GET must not unsubscribe")
    }

    @Test func aOneClickPOSTUnsubscribesAtOnceAndIsIdempotent() async throws {
        let fixture = try Fixture()
        defer { TemporaryFolder.remove(fixture.folder) }
        let app = Application(router: fixture.service.router())
        try await app.test(.router) { client in
            for _ in 0..<2 {
                try await client.execute(
                    uri: "/unsubscribe?t=\(fixture.token())", method: .post, headers: Self.form,
                    body: ByteBuffer(string: "List-Unsubscribe=One-Click")
                ) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.location] == nil)
                }
            }
            // Multipart, as some mailbox providers send it.
            let boundary = "b0undary"
            let multipart = "--\(boundary)\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--\(boundary)--\r\n"
            try await client.execute(
                uri: "/unsubscribe?t=\(fixture.token())", method: .post,
                headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: ByteBuffer(string: multipart)
            ) { response in #expect(response.status == .ok) }
        }
        #expect(try fixture.suppressed())
        let moments = try fixture.store.history(of: "L-1", upTo: Date().addingTimeInterval(60)).moments
        #expect(moments.map(\.event.kind) == [.unsubscribe], "one unsubscribe event for the engine")
    }

    @Test func forgedForeignOrWrongPurposeTokensGet404AndChangeNothing() async throws {
        let fixture = try Fixture()
        defer { TemporaryFolder.remove(fixture.folder) }
        let stranger = Keyring.rotated(nil, now: Date())
        let foreign = LinkToken.sign(.init(purpose: .unsubscribe, leadID: "L-1", messageKey: "k"), with: stranger)
        let app = Application(router: fixture.service.router())
        try await app.test(.router) { client in
            for token in [foreign, fixture.token(purpose: .click), "3f1c0e5a9b7d2c4e", "", String(repeating: "x", count: 3_000)] {
                for method in [HTTPRequest.Method.get, .post] {
                    try await client.execute(
                        uri: "/unsubscribe?t=\(token)", method: method, headers: Self.form, body: ByteBuffer(string: "List-Unsubscribe=One-Click")
                    ) { response in #expect(response.status == .notFound, "\(method) \(token.prefix(20))") }
                }
            }
            // A multipart body whose List-Unsubscribe part says something else, with One-Click in another part.
            let tricky = "--b\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nNo\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nOne-Click\r\n--b--\r\n"
            try await client.execute(
                uri: "/unsubscribe?t=\(fixture.token())", method: .post, headers: [.contentType: "multipart/form-data; boundary=b"],
                body: ByteBuffer(string: tricky)
            ) { #expect($0.status == .badRequest) }
            // A valid token without the one-click body, and an oversized body.
            try await client.execute(uri: "/unsubscribe?t=\(fixture.token())", method: .post, headers: Self.form, body: ByteBuffer(string: "yes")) {
                #expect($0.status == .badRequest)
            }
            try await client.execute(
                uri: "/unsubscribe?t=\(fixture.token())", method: .post, headers: Self.form,
                body: ByteBuffer(string: "List-Unsubscribe=One-Click&" + String(repeating: "a", count: 100_000))
            ) { #expect($0.status == .contentTooLarge) }
        }
        #expect(try !fixture.suppressed())
    }

    @Test func overARealSocketThePOSTAnswers200WithoutCookiesOrRedirect() async throws {
        let fixture = try Fixture()
        defer { TemporaryFolder.remove(fixture.folder) }
        let app = Application(router: fixture.service.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await client.execute(
                uri: "/unsubscribe?t=\(fixture.token())", method: .post, headers: Self.form, body: ByteBuffer(string: "List-Unsubscribe=One-Click")
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.location] == nil && response.headers[.setCookie] == nil)
            }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
        #expect(try fixture.suppressed())
    }
}
