import NurtureMail
import Foundation
import Hummingbird
import HummingbirdTesting
import NurtureCore
import NurtureDefinitions
import NurtureServer
import NurtureStore
import NurtureTestSupport
import NurtureTokens
import Testing

/// The shipped definitions with one marketing operator added, a real store in a scratch folder,
/// and the service with its rep and team pages; leads, hand-offs and sign-in links as the
/// scheduler and `nurture reps invite` record them.
struct RepPagesFixture {
    static let hannah = Rep(name: "Hannah Lee", email: "hannah.lee@example.com", title: "Account Executive", phone: "+1 312 555 0142")
    static let marcus = Rep(name: "Marcus Webb", email: "marcus.webb@example.com", title: "Account Executive", phone: "+1 646 555 0198")
    static let olivia = Rep(name: "Olivia Park", email: "olivia.park@example.com")

    let folder: URL
    let definitionsFolder: URL
    let storePath: String
    let store: SQLiteStore
    let definitions: DefinitionSet
    let service: WebService

    init(publicURL: String = "http://127.0.0.1:8080") throws {
        folder = try TemporaryFolder.make("nurture-pages")
        definitionsFolder = folder.appendingPathComponent("sequences")
        try TemporaryFolder.copyFiles(of: PackageFolders.sequences, to: definitionsFolder)
        // The shipped lifecycle names the operator, Olivia Park, who may see the team page.
        let loaded = DefinitionLoader.load(directory: definitionsFolder.path)
        guard let definitions = loaded.definitions else { throw SetupFailure("definitions: \(loaded.diagnostics)") }
        self.definitions = definitions
        storePath = folder.appendingPathComponent("nurture.sqlite").path
        store = try SQLiteStore(path: storePath)
        service = WebService(
            store: store, keyring: .rotated(nil, now: Date()),
            repPages: RepPagesSettings(definitions: definitions, publicURL: try PublicURL(publicURL)))
    }

    func remove() { TemporaryFolder.remove(folder) }

    /// The engagement summary the scheduler records with a hand-off; one reason carries markup,
    /// which a page must show as text.
    static func summary() throws -> EngagementSummary {
        try JSONDecoder().decode(EngagementSummary.self, from: Data("""
            {"score": 85, "grade": "A", "stage": "mql", "reasons": [{"text": "visited pricing <script>x</script>", "points": 30}],
             "lastMoments": [], "emailsSent": 3, "emailsOpened": 2, "emailsClicked": 1, "pagesSeen": ["pricing"],
             "contentCategories": ["case-study"], "sequences": ["post-webinar"]}
            """.utf8))
    }

    /// A lead owned by `owner`, in the hand-off stage, and an open hand-off of it to them.
    @discardableResult
    func handOff(_ leadID: String, to owner: Rep) throws -> Int64 {
        let now = Date()
        try lead(leadID, owner: owner, stage: "mql")
        let handOff = HandOff(rep: owner, reason: "score >= 80", sequence: "post-webinar", score: 85, grade: "A", due: now.addingTimeInterval(8 * 3600), at: now)
        try store.addHandOffs([NewHandOff(handOff, summary: try Self.summary(), definitionsVersion: 1)], notices: [], leadID: leadID, at: now)
        return try store.handOffs(HandOffFilter(leadID: leadID), now: now).last!.id
    }

    /// A lead owned by `owner`, with what the rep-sent sequence's emails use.
    func lead(_ id: String, owner: Rep, stage: String) throws {
        _ = try store.upsert([Lead(
            id: id, email: "\(id.lowercased())@prospect.example", timeZone: TimeZone(identifier: "America/New_York"), owner: owner,
            stage: stage, attributes: ["first_name": "Sam", "company": "Prospect Co", "title": "VP Revenue Operations",
                                       "demo_focus": "the weekly forecast call"])])
    }

    /// A sign-in link for `email`, as `nurture reps invite` records it; the token.
    func link(for email: String, expiresIn lifetime: TimeInterval = 30 * 60) throws -> String {
        let token = SecretToken.random()
        try store.addSignInLink(hash: token.hash, email: email, expiresAt: Date().addingTimeInterval(lifetime), now: Date())
        return token.text
    }

    /// Signs `email` in through the pages: the session cookie's value.
    func signIn(_ email: String, client: some TestClientProtocol) async throws -> String {
        let token = try link(for: email)
        return try await client.execute(uri: "/signin/\(token)", method: .post) { response in
            #expect(response.status == .seeOther)
            return Self.sessionValue(response.headers[.setCookie] ?? "")
        }
    }

    static func sessionValue(_ setCookie: String) -> String {
        let pair = setCookie.split(separator: ";").first ?? ""
        return pair.hasPrefix("nurture_session=") ? String(pair.dropFirst("nurture_session=".count)) : ""
    }

    static func cookie(_ session: String) -> HTTPFields { [.cookie: "nurture_session=\(session)"] }

    /// The CSRF token a page's forms carry.
    static func csrf(in page: String) -> String? {
        guard let start = page.range(of: "name=\"csrf\" value=\"") else { return nil }
        return String(page[start.upperBound...].prefix { $0 != "\"" })
    }

    /// A form post as a signed-in browser sends it.
    static func form(_ session: String) -> HTTPFields {
        [.cookie: "nurture_session=\(session)", .contentType: "application/x-www-form-urlencoded"]
    }

    func status(of handOff: Int64) throws -> HandOffRecord.Status? { try store.handOff(handOff)?.status }
}
