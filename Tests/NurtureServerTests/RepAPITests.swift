import Foundation
import Hummingbird
import HummingbirdTesting
import NurtureServer
import NurtureStore
import Testing

/// The rep routes hold each rep to their own hand-offs and leads: another rep's are 404, with
/// nothing of them in the answer, and nothing changes.
@Suite(.timeLimit(.minutes(8)))
struct RepAPITests {
    @Test func aRepSeesAndAnswersOnlyTheirOwnHandOffs() async throws {
        let fixture = try APIFixture()
        defer { fixture.remove() }
        let hannah = try fixture.token(.rep, APIFixture.hannah.email)
        let marcus = fixture.marcussHandOff
        let before = try fixture.store.handOff(marcus)
        let app = Application(router: fixture.service.router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/handoffs", method: .get, headers: APIFixture.bearer(hannah)) { response in
                #expect(response.status == .ok)
                let listed = APIFixture.json(response.body)["handoffs"] as? [[String: Any]] ?? []
                #expect(listed.map { $0["id"] as? Int } == [Int(fixture.hannahsHandOff)])
                #expect(listed.first?["due"] is String && listed.first?["lead_email"] as? String == "l-1@prospect.example")
            }
            for (uri, method) in [("", HTTPRequest.Method.get), ("/accept", .post), ("/touch", .post), ("/reject", .post)] {
                try await client.execute(
                    uri: "/api/handoffs/\(marcus)\(uri)", method: method, headers: APIFixture.bearer(hannah, "application/json"),
                    body: ByteBuffer(string: #"{"reason": "not-ready"}"#)
                ) { response in
                    #expect(response.status == .notFound, "\(method) \(uri)")
                    let text = String(buffer: response.body)
                    #expect(!text.contains("l-2@prospect.example") && !text.contains("marcus"), "\(text)")
                }
            }
            for id in ["999", "0", "-1", "abc", "99999999999999999999"] {
                try await client.execute(uri: "/api/handoffs/\(id)", method: .get, headers: APIFixture.bearer(hannah)) {
                    #expect($0.status == .notFound)
                }
            }
        }
        #expect(try fixture.store.handOff(marcus) == before, "Marcus's hand-off is untouched")
    }

    @Test func aRepAnswersTheirHandOffsAndTheDeskRefusalsAre409Or400() async throws {
        let fixture = try APIFixture()
        defer { fixture.remove() }
        let hannah = try fixture.token(.rep, APIFixture.hannah.email)
        let own = fixture.hannahsHandOff
        let other = try APIFixture.handOff("L-3", to: APIFixture.hannah, at: Date().addingTimeInterval(-600), in: fixture.store)
        let app = Application(router: fixture.service.router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/handoffs/\(own)/touch", method: .post, headers: APIFixture.bearer(hannah)) {
                #expect($0.status == .conflict)
                #expect((APIFixture.json($0.body)["error"] as? String)?.contains("accept it before recording a touch") ?? false)
            }
            try await client.execute(uri: "/api/handoffs/\(own)/accept", method: .post, headers: APIFixture.bearer(hannah)) {
                #expect($0.status == .ok)
                #expect(APIFixture.json($0.body)["status"] as? String == "accepted")
            }
            try await client.execute(uri: "/api/handoffs/\(own)/accept", method: .post, headers: APIFixture.bearer(hannah)) {
                #expect($0.status == .conflict)
            }
            try await client.execute(uri: "/api/handoffs/\(own)/touch", method: .post, headers: APIFixture.bearer(hannah)) {
                #expect($0.status == .ok)
                #expect(APIFixture.json($0.body)["touched_at"] is String)
            }
            for (body, expected) in [("", "'reason' is required"), (#"{"reason": 7}"#, "'reason' must be"), ("[]", "a JSON object"),
                                     (#"{"reason": "maybe"}"#, "'reason' must be one of bad-fit, not-ready")] {
                try await client.execute(
                    uri: "/api/handoffs/\(other)/reject", method: .post, headers: APIFixture.bearer(hannah, "application/json"), body: ByteBuffer(string: body)
                ) { response in
                    #expect(response.status == .badRequest)
                    #expect((APIFixture.json(response.body)["error"] as? String)?.contains(expected) ?? false, "\(String(buffer: response.body))")
                }
            }
            try await client.execute(
                uri: "/api/handoffs/\(other)/reject", method: .post, headers: APIFixture.bearer(hannah, "application/json"),
                body: ByteBuffer(string: #"{"reason": "not-ready"}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(APIFixture.json(response.body)["answer"] as? String == "reject(not-ready)")
            }
        }
        #expect(try fixture.store.handOff(own)?.status == .accepted && fixture.store.handOff(other)?.status == .rejected)
    }

    @Test func aRepRequestsNurturesOnlyForTheirOwnLeads() async throws {
        let fixture = try APIFixture()
        defer { fixture.remove() }
        let hannah = try fixture.token(.rep, APIFixture.hannah.email)
        let marcus = try fixture.token(.rep, APIFixture.marcus.email)
        let app = Application(router: fixture.service.router())
        try await app.test(.router) { client in
            func post(_ body: String, as token: String) async throws -> (HTTPResponse.Status, [String: Any]) {
                try await client.execute(
                    uri: "/api/requests", method: .post, headers: APIFixture.bearer(token, "application/json"), body: ByteBuffer(string: body)
                ) { ($0.status, APIFixture.json($0.body)) }
            }
            // Marcus's lead, by id and by email: it does not exist for Hannah.
            for lead in ["L-2", "l-2@prospect.example"] {
                let (status, answer) = try await post(#"{"lead": "\#(lead)", "sequence": "post-demo-not-ready"}"#, as: hannah)
                #expect(status == .notFound && !(answer["error"] as? String ?? "").contains("Marcus"), "\(answer)")
            }
            let (missing, noLead) = try await post(#"{"sequence": "post-demo-not-ready"}"#, as: hannah)
            #expect(missing == .badRequest && noLead["error"] as? String == "'lead' is required")
            let (unknown, noSequence) = try await post(#"{"lead": "L-4", "sequence": "nope"}"#, as: hannah)
            #expect(unknown == .badRequest && (noSequence["error"] as? String)?.contains("'sequence'") ?? false)
            let (past, lapsed) = try await post(#"{"lead": "L-4", "sequence": "post-demo-not-ready", "until": "2020-01-01T00:00:00Z"}"#, as: hannah)
            #expect(past == .badRequest && (lapsed["error"] as? String)?.contains("'until'") ?? false)

            let (created, request) = try await post(#"{"lead": "L-4", "sequence": "post-demo-not-ready", "note": "budget frozen until Q3"}"#, as: hannah)
            #expect(created == .created && request["rep_email"] as? String == APIFixture.hannah.email, "\(request)")
            // Hannah's own lead, unsubscribed: the desk refuses it, and says why.
            #expect(try fixture.store.recordUnsubscribe(leadID: "L-3", messageKey: "L-3|post-webinar|1|recording|1", at: Date()))
            let (suppressed, refusal) = try await post(#"{"lead": "L-3", "sequence": "post-demo-not-ready"}"#, as: hannah)
            #expect(suppressed == .conflict && (refusal["error"] as? String)?.contains("is suppressed") ?? false, "\(refusal)")

            try await client.execute(uri: "/api/requests", method: .get, headers: APIFixture.bearer(marcus)) {
                #expect((APIFixture.json($0.body)["requests"] as? [Any])?.isEmpty ?? false, "Marcus sees none of Hannah's requests")
            }
            try await client.execute(uri: "/api/requests", method: .get, headers: APIFixture.bearer(hannah)) {
                #expect((APIFixture.json($0.body)["requests"] as? [[String: Any]])?.map { $0["lead_id"] as? String } == ["L-4"])
            }
        }
        #expect(try fixture.store.requests(leadID: "L-2", repEmail: nil, since: nil, until: nil).isEmpty)
        #expect(try fixture.store.lead("L-2")?.0.owner?.email == APIFixture.marcus.email, "Marcus keeps his lead")
    }

    @Test func aSourceTokenOnTheRepRoutesIs403() async throws {
        let fixture = try APIFixture()
        defer { fixture.remove() }
        let crm = try fixture.token(.source, "crm")
        let app = Application(router: fixture.service.router())
        try await app.test(.router) { client in
            for (uri, method) in [("/api/handoffs", HTTPRequest.Method.get), ("/api/handoffs/\(fixture.hannahsHandOff)/accept", .post), ("/api/requests", .get)] {
                try await client.execute(uri: uri, method: method, headers: APIFixture.bearer(crm)) { #expect($0.status == .forbidden, "\(uri)") }
            }
        }
        #expect(try fixture.store.handOff(fixture.hannahsHandOff)?.status == .open)
    }
}
