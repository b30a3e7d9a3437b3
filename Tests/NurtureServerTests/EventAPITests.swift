import Foundation
import Hummingbird
import HummingbirdTesting
import NurtureServer
import NurtureStore
import Testing

/// `POST /api/events` against a real SQLite store: per-item results, idempotency, the source a
/// token stands for, and the body limits.
@Suite(.timeLimit(.minutes(8)))
struct EventAPITests {
    static let ndjson = "application/x-ndjson"

    @Test func aSourceIngestsNDJSONItemByItemKeepingTheGoodOnesAndASecondSendChangesNothing() async throws {
        let fixture = try APIFixture()
        defer { fixture.remove() }
        let crm = try fixture.token(.source, "crm")
        let body = """
            {"at": "\(APIFixture.ago(30))", "type": "email_click", "category": "pricing", "lead": "L-1", "id": "evt-1"}
            {"at": "yesterday", "type": "email_open", "lead": "L-1", "id": "evt-2"}

            {"at": "\(APIFixture.ago(20))", "type": "email_open", "lead": "l-2@prospect.example", "id": "evt-3"}
            {"at": "\(APIFixture.ago(10))", "type": "rep_action", "lead": "L-1", "action": "accept", "id": "crm-81723"}
            {"at": "\(APIFixture.ago(10))", "type": "email_open", "lead": "nobody@example.com", "id": "evt-4"}
            """
        let app = Application(router: fixture.service.router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/events", method: .post, headers: APIFixture.bearer(crm, Self.ndjson), body: ByteBuffer(string: body)) {
                response in
                #expect(response.status == .ok)
                let answer = APIFixture.json(response.body)
                #expect(answer["accepted"] as? Int == 3 && answer["rejected"] as? Int == 2 && answer["duplicates"] as? Int == 0, "\(answer)")
                let results = answer["results"] as? [[String: Any]] ?? []
                #expect(results.map { $0["line"] as? Int } == [1, 2, 4, 5, 6], "each item by its line; the blank line is none")
                #expect(results.map { $0["status"] as? String } == ["accepted", "rejected", "accepted", "accepted", "rejected"])
                #expect((results[1]["error"] as? String)?.contains("'yesterday' is not a time") ?? false, "\(results[1])")
                #expect((results[4]["error"] as? String)?.contains("no lead 'nobody@example.com'") ?? false, "\(results[4])")
            }
            #expect(try fixture.events(of: "L-1") == ["email_click"] && fixture.events(of: "L-2") == ["email_open"])
            #expect(try fixture.store.handOff(fixture.hannahsHandOff)?.status == .accepted, "the CRM's accept answered the hand-off")

            // The same batch again: nothing is applied twice.
            try await client.execute(uri: "/api/events", method: .post, headers: APIFixture.bearer(crm, Self.ndjson), body: ByteBuffer(string: body)) {
                response in
                let answer = APIFixture.json(response.body)
                let results = answer["results"] as? [[String: Any]] ?? []
                #expect(results.map { $0["status"] as? String } == ["duplicate", "rejected", "duplicate", "duplicate", "rejected"], "\(answer)")
            }
        }
        #expect(try fixture.events(of: "L-1") == ["email_click"] && fixture.events(of: "L-2") == ["email_open"])
    }

    @Test func anItemNamingAnotherSourceIsRejectedAndEachSourceHasItsOwnIds() async throws {
        let fixture = try APIFixture()
        defer { fixture.remove() }
        let crm = try fixture.token(.source, "crm")
        let forms = try fixture.token(.source, "forms")
        let at = APIFixture.ago(15)
        let array = """
            [{"at": "\(at)", "type": "email_click", "lead": "L-1", "id": "e-1", "source": "crm"},
             {"at": "\(at)", "type": "email_open", "lead": "L-2", "id": "e-2", "source": "forms"},
             {"at": "\(at)", "type": "email_open", "lead": "L-2", "id": "e-3", "source": ["crm"]}]
            """
        let app = Application(router: fixture.service.router())
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/api/events", method: .post, headers: APIFixture.bearer(crm, "application/json"), body: ByteBuffer(string: array)
            ) { response in
                let results = APIFixture.json(response.body)["results"] as? [[String: Any]] ?? []
                #expect(results.map { $0["index"] as? Int } == [0, 1, 2])
                #expect(results.map { $0["status"] as? String } == ["accepted", "rejected", "rejected"], "\(results)")
                #expect((results[1]["error"] as? String)?.contains("names source 'forms', but the token is for source 'crm'") ?? false)
            }
            #expect(try fixture.events(of: "L-2").isEmpty, "an item for another source is never stored")
            // The form tool's own "e-1" is another event than the CRM's, one object on its own.
            let single = #"{"at": "\#(at)", "type": "form_fill", "lead": "L-1", "id": "e-1"}"#
            try await client.execute(
                uri: "/api/events", method: .post, headers: APIFixture.bearer(forms, "application/json; charset=utf-8"), body: ByteBuffer(string: single)
            ) { response in
                let answer = APIFixture.json(response.body)
                #expect(answer["source"] as? String == "forms" && answer["accepted"] as? Int == 1, "\(answer)")
            }
        }
        #expect(try fixture.events(of: "L-1").sorted() == ["email_click", "form_fill"])
    }

    @Test func aRepTokenOnTheEventIntakeIs403() async throws {
        let fixture = try APIFixture()
        defer { fixture.remove() }
        let hannah = try fixture.token(.rep, APIFixture.hannah.email)
        let app = Application(router: fixture.service.router())
        try await app.test(.router) { client in
            let line = #"{"at": "\#(APIFixture.ago(5))", "type": "email_click", "lead": "L-1", "id": "x"}"#
            try await client.execute(uri: "/api/events", method: .post, headers: APIFixture.bearer(hannah, Self.ndjson), body: ByteBuffer(string: line)) {
                #expect($0.status == .forbidden)
                #expect(APIFixture.json($0.body)["error"] as? String == "this route takes a source token")
            }
        }
        #expect(try fixture.events(of: "L-1").isEmpty)
    }

    @Test func bodiesOverTheLimitsAre413AndOtherTypesAre415() async throws {
        let fixture = try APIFixture()
        defer { fixture.remove() }
        let crm = try fixture.token(.source, "crm")
        let at = APIFixture.ago(5)
        // One well-formed event made larger than 1 MiB by its step: only the size is wrong with it.
        let huge = #"{"at": "\#(at)", "type": "email_click", "lead": "L-1", "id": "big", "step": "\#(String(repeating: "s", count: 1 << 20))"}"#
        // 1,001 small events: each is fine, their number is not.
        let many = (0...1_000).map { #"{"at": "\#(at)", "type": "email_open", "lead": "L-1", "id": "m-\#($0)"}"# }.joined(separator: "\n")
        let app = Application(router: fixture.service.router())
        try await app.test(.router) { client in
            for body in [huge, many] {
                try await client.execute(uri: "/api/events", method: .post, headers: APIFixture.bearer(crm, Self.ndjson), body: ByteBuffer(string: body)) {
                    #expect($0.status == .contentTooLarge, "\(String(buffer: $0.body))")
                }
            }
            try await client.execute(uri: "/api/events", method: .post, headers: APIFixture.bearer(crm, "text/csv"), body: ByteBuffer(string: "at,type\n")) {
                #expect($0.status == .unsupportedMediaType)
            }
            try await client.execute(uri: "/api/events", method: .post, headers: APIFixture.bearer(crm, "application/json"), body: ByteBuffer(string: "[1,")) {
                #expect($0.status == .badRequest)
            }
        }
        #expect(try fixture.events(of: "L-1").isEmpty)
    }
}
