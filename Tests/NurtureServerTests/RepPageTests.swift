import Foundation
import Hummingbird
import HummingbirdTesting
import NurtureServer
import NurtureStore
import NurtureTestSupport
import NurtureTokens
import Testing

/// A rep's pages: answering and requesting through them, every other rep's hand-off and lead out
/// of reach (404, nothing changes), the CSRF token on every post, and the team page for operators.
@Suite(.timeLimit(.minutes(8)))
struct RepPageTests {
    @Test func aRepSeesTheirHandOffAndAnswersItThroughThePages() async throws {
        let fixture = try RepPagesFixture()
        defer { fixture.remove() }
        let mine = try fixture.handOff("L-1", to: RepPagesFixture.hannah)
        let accepted = try fixture.handOff("L-2", to: RepPagesFixture.hannah)
        try await Application(router: fixture.service.router()).test(.router) { client in
            let session = try await fixture.signIn(RepPagesFixture.hannah.email, client: client)
            let page = try await client.execute(uri: "/rep", method: .get, headers: RepPagesFixture.cookie(session)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
                return String(buffer: response.body)
            }
            #expect(page.contains("l-1@prospect.example") && page.contains("Answer by"))
            #expect(page.contains("Emails: 3 sent, 2 opened, 1 clicked") && page.contains("visited pricing &lt;script&gt;x&lt;/script&gt;: +30"))
            #expect(!page.contains("<script>"), "summary text is escaped")
            #expect(page.contains("<option value=\"not-ready\">not-ready</option>") && page.contains("<option value=\"bad-fit\">bad-fit</option>"))
            #expect(page.contains("<option value=\"post-demo-not-ready\">"), "a rep-sent sequence may be requested")
            #expect(!page.contains("<option value=\"post-webinar\">"), "a marketing-sent one may not")
            let csrf = try #require(RepPagesFixture.csrf(in: page))
            for (path, body) in [("/rep/handoffs/\(mine)/reject", "reason=not-ready"), ("/rep/handoffs/\(accepted)/accept", ""),
                                 ("/rep/handoffs/\(accepted)/touch", "")] {
                try await client.execute(
                    uri: path, method: .post, headers: RepPagesFixture.form(session), body: ByteBuffer(string: "csrf=\(csrf)&\(body)")
                ) { response in
                    #expect(response.status == .seeOther, "\(path)")
                    #expect(response.headers[.location] == "/rep")
                }
            }
            // Answered already: refused with the reason, nothing changes.
            try await client.execute(
                uri: "/rep/handoffs/\(mine)/accept", method: .post, headers: RepPagesFixture.form(session), body: ByteBuffer(string: "csrf=\(csrf)")
            ) { response in
                #expect(response.status == .unprocessableContent)
                #expect(String(buffer: response.body).contains("already rejected"))
            }
            try await client.execute(uri: "/rep/sla", method: .get, headers: RepPagesFixture.cookie(session)) { response in
                let sla = String(buffer: response.body)
                #expect(sla.contains("<b>1</b>rejected") && sla.contains("reject(not-ready)"))
            }
        }
        #expect(try fixture.store.handOff(mine)?.answer == "reject(not-ready)")
        #expect(try fixture.store.handOff(accepted)?.touchedAt != nil)
    }

    @Test func anotherRepsHandOffOrLeadIsNotFoundAndNothingChanges() async throws {
        let fixture = try RepPagesFixture()
        defer { fixture.remove() }
        let marcus = try fixture.handOff("L-9", to: RepPagesFixture.marcus)
        try await Application(router: fixture.service.router()).test(.router) { client in
            let session = try await fixture.signIn(RepPagesFixture.hannah.email, client: client)
            let page = try await client.execute(uri: "/rep", method: .get, headers: RepPagesFixture.cookie(session)) { String(buffer: $0.body) }
            #expect(!page.contains("l-9@prospect.example"))
            let csrf = try #require(RepPagesFixture.csrf(in: page))
            for id in [String(marcus), "999999", "0", "-1", "x"] {
                try await client.execute(uri: "/rep/handoffs/\(id)", method: .get, headers: RepPagesFixture.cookie(session)) { response in
                    #expect(response.status == .notFound)
                    #expect(!String(buffer: response.body).contains("l-9@prospect.example"))
                }
                for action in ["accept", "reject", "touch"] {
                    try await client.execute(
                        uri: "/rep/handoffs/\(id)/\(action)", method: .post, headers: RepPagesFixture.form(session),
                        body: ByteBuffer(string: "csrf=\(csrf)&reason=not-ready")
                    ) { #expect($0.status == .notFound, "\(action) \(id)") }
                }
            }
            for lead in ["L-9", "l-9@prospect.example", "nobody@example.com"] {
                try await client.execute(
                    uri: "/rep/requests", method: .post, headers: RepPagesFixture.form(session),
                    body: ByteBuffer(string: "csrf=\(csrf)&lead=\(lead)&sequence=post-demo-not-ready&note=mine+now")
                ) { #expect($0.status == .notFound, "\(lead)") }
            }
        }
        #expect(try fixture.status(of: marcus) == .open)
        #expect(try fixture.store.requests(leadID: nil, repEmail: nil, since: nil, until: nil).isEmpty)
        #expect(try fixture.store.lead("L-9")?.0.owner?.email == RepPagesFixture.marcus.email)
    }

    @Test func aPostWithoutItsCSRFTokenOrWithAnotherSessionsIsForbidden() async throws {
        let fixture = try RepPagesFixture()
        defer { fixture.remove() }
        let id = try fixture.handOff("L-1", to: RepPagesFixture.hannah)
        try await Application(router: fixture.service.router()).test(.router) { client in
            let session = try await fixture.signIn(RepPagesFixture.hannah.email, client: client)
            let other = try await fixture.signIn(RepPagesFixture.hannah.email, client: client)
            let otherCSRF = try await client.execute(uri: "/rep", method: .get, headers: RepPagesFixture.cookie(other)) {
                RepPagesFixture.csrf(in: String(buffer: $0.body))
            }
            let mine = try await client.execute(uri: "/rep", method: .get, headers: RepPagesFixture.cookie(session)) {
                RepPagesFixture.csrf(in: String(buffer: $0.body))
            }
            #expect(mine != nil && otherCSRF != nil && mine != otherCSRF)
            let bodies = ["reason=not-ready", "csrf=&reason=not-ready", "csrf=\(try #require(otherCSRF))&reason=not-ready",
                          "csrf=\(String(try #require(mine).dropLast()))&reason=not-ready"]
            for body in bodies {
                try await client.execute(
                    uri: "/rep/handoffs/\(id)/reject", method: .post, headers: RepPagesFixture.form(session), body: ByteBuffer(string: body)
                ) { #expect($0.status == .forbidden, "\(body)") }
            }
            try await client.execute(
                uri: "/rep/requests", method: .post, headers: RepPagesFixture.form(session),
                body: ByteBuffer(string: "lead=L-1&sequence=post-demo-not-ready")
            ) { #expect($0.status == .forbidden) }
            // A reason the lifecycle does not know, a body that is not a form, one over the limit.
            let csrf = try #require(mine)
            for (body, status) in [("csrf=\(csrf)&reason=maybe-later", HTTPResponse.Status.badRequest), ("csrf=\(csrf)&reason=a&reason=b", .badRequest),
                                   ("csrf=\(csrf)&note=" + String(repeating: "a", count: 70_000), .contentTooLarge)] {
                try await client.execute(
                    uri: "/rep/handoffs/\(id)/reject", method: .post, headers: RepPagesFixture.form(session), body: ByteBuffer(string: body)
                ) { #expect($0.status == status, "\(body.prefix(60))") }
            }
            try await client.execute(uri: "/signout", method: .post, headers: RepPagesFixture.form(session), body: ByteBuffer(string: "")) {
                #expect($0.status == .forbidden)
            }
            try await client.execute(uri: "/rep", method: .get, headers: RepPagesFixture.cookie(session)) { #expect($0.status == .ok) }
        }
        #expect(try fixture.status(of: id) == .open)
        #expect(try fixture.store.requests(leadID: nil, repEmail: nil, since: nil, until: nil).isEmpty)
    }

    @Test func aRepRequestsANurtureForTheirOwnLeadAndSeesIt() async throws {
        let fixture = try RepPagesFixture()
        defer { fixture.remove() }
        try fixture.lead("L-5", owner: RepPagesFixture.hannah, stage: "sql")
        try fixture.lead("L-6", owner: RepPagesFixture.hannah, stage: "mql")
        try await Application(router: fixture.service.router()).test(.router) { client in
            let session = try await fixture.signIn(RepPagesFixture.hannah.email, client: client)
            let csrf = try #require(try await client.execute(uri: "/rep", method: .get, headers: RepPagesFixture.cookie(session)) {
                RepPagesFixture.csrf(in: String(buffer: $0.body))
            })
            func post(_ body: String) async throws -> (HTTPResponse.Status, String) {
                try await client.execute(
                    uri: "/rep/requests", method: .post, headers: RepPagesFixture.form(session), body: ByteBuffer(string: "csrf=\(csrf)&\(body)")
                ) { ($0.status, String(buffer: $0.body)) }
            }
            // A sequence sent by marketing cannot be asked for from the pages; the engine's refusal comes back with its reason.
            #expect(try await post("lead=L-5&sequence=post-webinar").0 == .badRequest)
            let refused = try await post("lead=L-6&sequence=post-demo-not-ready")
            #expect(refused.0 == .unprocessableContent && refused.1.contains("cannot enter post-demo-not-ready"))
            #expect(try await post("lead=l-5%40prospect.example&sequence=post-demo-not-ready&note=Q3+budget").0 == .seeOther)
            let page = try await client.execute(uri: "/rep", method: .get, headers: RepPagesFixture.cookie(session)) { String(buffer: $0.body) }
            #expect(page.contains("<td>l-5@prospect.example</td><td>post-demo-not-ready</td>") && page.contains("<td>running</td>"))
        }
        let requests = try fixture.store.requests(leadID: nil, repEmail: nil, since: nil, until: nil)
        #expect(requests.map(\.leadID) == ["L-5"] && requests.first?.note == "Q3 budget" && requests.first?.repEmail == RepPagesFixture.hannah.email)
    }

    @Test func theTeamPageIsForOperatorsOnly() async throws {
        let fixture = try RepPagesFixture()
        defer { fixture.remove() }
        _ = try fixture.handOff("L-1", to: RepPagesFixture.hannah)
        try await Application(router: fixture.service.router()).test(.router) { client in
            let operatorSession = try await client.execute(uri: "/signin/\(try fixture.link(for: RepPagesFixture.olivia.email))", method: .post) { response in
                #expect(response.headers[.location] == "/team")
                return RepPagesFixture.sessionValue(response.headers[.setCookie] ?? "")
            }
            try await client.execute(uri: "/team", method: .get, headers: RepPagesFixture.cookie(operatorSession)) { response in
                #expect(response.status == .ok)
                let page = String(buffer: response.body)
                #expect(page.contains("<h2>Sales' side</h2>") && page.contains("hannah.lee@example.com"))
                #expect(page.contains("action=\"/signout\"") && RepPagesFixture.csrf(in: page) != nil)
            }
            try await client.execute(uri: "/rep", method: .get, headers: RepPagesFixture.cookie(operatorSession)) { #expect($0.status == .notFound) }
            let repSession = try await fixture.signIn(RepPagesFixture.hannah.email, client: client)
            try await client.execute(uri: "/team", method: .get, headers: RepPagesFixture.cookie(repSession)) { response in
                #expect(response.status == .notFound)
                #expect(!String(buffer: response.body).contains("Sales' side"))
            }
        }
    }
}
