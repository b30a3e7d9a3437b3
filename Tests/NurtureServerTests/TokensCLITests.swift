import Foundation
import Hummingbird
import HummingbirdTesting
import NurtureServer
import NurtureStore
import NurtureTestSupport
import NurtureTokens
import Testing

/// `nurture tokens create/list/revoke`, run as users run them: the token is printed once and
/// nowhere else, the store keeps only its hash, and a revoked token no longer opens the API.
@Suite(.timeLimit(.minutes(8)))
struct TokensCLITests {
    @Test func aTokenIsPrintedOnceStoredAsItsHashListedWithoutItAndRevoked() async throws {
        let folder = try TemporaryFolder.make("nurture-tokens")
        defer { TemporaryFolder.remove(folder) }
        let db = folder.appendingPathComponent("nurture.sqlite").path
        // Made and closed at once: this process must hold no connection while it reads the files
        // below (closing any descriptor of a SQLite file drops the process's locks on it).
        _ = try SQLiteStore(path: db)
        @Sendable func nurture(_ arguments: String...) throws -> ToolRun { try NurtureCLI.run(arguments + ["--db", db]) }

        let source = try nurture("tokens", "create", "--source", "crm")
        #expect(source.status == 0, "\(source.stderr)")
        let crm = try #require(source.stdoutLines.first)
        #expect(source.stdoutLines.count == 1 && BearerToken.isWellFormed(crm), "the token alone on standard output")
        #expect(source.stderr.contains("token #1 for source crm") && !source.stderr.contains(crm))
        let rep = try nurture("tokens", "create", "--rep", "Hannah.Lee@example.com", "--definitions", "sequences")
        #expect(rep.status == 0, "\(rep.stderr)")
        let hannah = try #require(rep.stdoutLines.first)
        #expect(BearerToken.isWellFormed(hannah) && hannah != crm)

        // Refused, and nothing made: a rep lifecycle.yml does not list, a bad source name, neither or both.
        for arguments in [["--rep", "eve@example.com"], ["--source", "Our CRM"], ["--source", String(repeating: "a", count: 65)], [],
                          ["--source", "crm", "--rep", "hannah.lee@example.com"]] {
            let refused = try NurtureCLI.run(["tokens", "create"] + arguments + ["--db", db])
            #expect(refused.status != 0 && refused.stdout.isEmpty, "\(arguments): \(refused.stdout)")
        }
        #expect(try nurture("tokens", "create", "--rep", "eve@example.com").stderr.contains("no rep eve@example.com"))

        // The store's files (the database, its WAL and shared memory) hold each hash, never a token.
        var stored = Data()
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasPrefix("nurture.sqlite") {
            stored += try Data(contentsOf: folder.appendingPathComponent(name))
        }
        for token in [crm, hannah] {
            #expect(stored.range(of: Data(token.utf8)) == nil)
            #expect(stored.range(of: Data(BearerToken.hash(token).utf8)) != nil)
        }

        for format in ["text", "json"] {
            let listed = try nurture("tokens", "list", "--format", format)
            #expect(listed.status == 0)
            #expect(!listed.stdout.contains(crm) && !listed.stdout.contains(hannah) && !listed.stdout.contains(BearerToken.hash(crm)))
            #expect(!listed.stdout.contains("nt_"))
        }
        let lines = try nurture("tokens", "list").stdoutLines
        #expect(lines.count == 2 && lines[0].hasPrefix("#1  source  crm  created ") && lines[1].hasPrefix("#2  rep  hannah.lee@example.com  created "))

        // The rep's token opens the API until it is revoked.
        var service = WebService(store: try SQLiteStore(path: db), keyring: Keyring.rotated(nil, now: Date()))
        service.definitions = APIFixture.definitions
        let app = Application(router: service.router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/requests", method: .get, headers: APIFixture.bearer(hannah)) { #expect($0.status == .ok) }
            let revoked = try nurture("tokens", "revoke", "2")
            #expect(revoked.status == 0 && revoked.stdout == "token #2 revoked\n")
            try await client.execute(uri: "/api/requests", method: .get, headers: APIFixture.bearer(hannah)) { #expect($0.status == .unauthorized) }
        }
        #expect(try nurture("tokens", "list").stdoutLines[1].contains("revoked "))
        #expect(try nurture("tokens", "revoke", "2").status != 0, "revoked already")
        #expect(try nurture("tokens", "revoke", "99").status != 0)
    }
}
