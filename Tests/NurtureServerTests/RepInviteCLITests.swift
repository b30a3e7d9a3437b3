import Foundation
import Hummingbird
import HummingbirdTesting
import NurtureStore
import NurtureTestSupport
import NurtureTokens
import Testing

/// `nurture reps invite`: the sign-in email goes through a real SMTP server on loopback to the
/// rep's own address, and the link in it signs the rep in, once. The token is never printed.
@Suite(.timeLimit(.minutes(8)))
struct RepInviteCLITests {
    @Test(.enabled(if: TestServers.runCaptureTests, "needs /usr/bin/python3 with aiosmtpd (always runs under CI=true)"))
    func theInvitationCarriesAWorkingOneTimeLink() async throws {
        let fixture = try RepPagesFixture(publicURL: "https://nurture.example.com/")
        defer { fixture.remove() }
        let server = try CaptureServer()
        defer { server.stop() }
        let run = try NurtureCLI.run([
            "reps", "invite", "Hannah.Lee@example.com", "--public-url", "https://nurture.example.com/", "--relay", server.url,
            "--db", fixture.storePath, "--definitions", fixture.definitionsFolder.path,
        ])
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
        #expect(run.stdout.contains("sign-in link sent to hannah.lee@example.com"), "\(run.stdout)")
        let messages = try server.messages()
        try #require(messages.count == 1)
        let message = messages[0]
        #expect(message.envelope.rcpt_tos == ["hannah.lee@example.com"] && message.envelope.mail_from == "nurture@example.com")
        #expect(message.header("Subject") == "Your sign-in link for Nurture")
        let body = message.quotedPrintableBody
        let prefix = "https://nurture.example.com/signin/"
        let start = try #require(body.range(of: prefix))
        let token = String(body[start.upperBound...].prefix { !$0.isWhitespace })
        #expect(SecretToken(token) != nil, "a 256-bit token: \(token)")
        #expect(!run.stdout.contains(token) && !run.stderr.contains(token), "the token is never printed")
        #expect(try fixture.store.signInLink(hash: #require(SecretToken(token)).hash, now: Date()) == .valid(email: "hannah.lee@example.com"))

        try await Application(router: fixture.service.router()).test(.router) { client in
            try await client.execute(uri: "/signin/\(token)", method: .post) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/rep")
                #expect(response.headers[.setCookie]?.contains("Secure") == true)
            }
            try await client.execute(uri: "/signin/\(token)", method: .post) { #expect($0.status == .gone) }
        }

        // Someone lifecycle.yml does not list gets nothing, and nothing is sent.
        let stranger = try NurtureCLI.run([
            "reps", "invite", "someone@example.com", "--public-url", "https://nurture.example.com", "--relay", server.url,
            "--db", fixture.storePath, "--definitions", fixture.definitionsFolder.path,
        ])
        #expect(stranger.status != 0 && stranger.stderr.contains("neither a rep nor an operator"), "\(stranger.stderr)")
        #expect(server.count() == 1)
    }

    @Test func anInvitationNeedsAnHTTPAddressToPointAt() throws {
        let fixture = try RepPagesFixture()
        defer { fixture.remove() }
        for url in ["", "ftp://nurture.example.com", "https://ops:secret@nurture.example.com", "https://nurture.example.com/?next=x",
                    "javascript:alert(1)", "https://", "https://nurture.example.com/a b", "https://x.example/" + String(repeating: "a", count: 600)] {
            let run = try NurtureCLI.run([
                "reps", "invite", "hannah.lee@example.com", "--public-url", url, "--relay", "smtp://127.0.0.1:1",
                "--db", fixture.storePath, "--definitions", fixture.definitionsFolder.path,
            ])
            #expect(run.status == 64 && run.stderr.contains("--public-url"), "\(url): \(run.stderr)")
        }
    }
}
