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

/// The API against a real SQLite store and the shipped definitions: Hannah and Marcus (reps in
/// lifecycle.yml), an open hand-off of each, and tokens made as `nurture tokens create` makes them.
struct APIFixture {
    static let definitions: DefinitionSet = {
        guard let definitions = DefinitionLoader.load(directory: PackageFolders.sequences.path).definitions else {
            fatalError("the shipped definitions do not load")
        }
        return definitions
    }()

    static let hannah = Rep(name: "Hannah Lee", email: "hannah.lee@example.com", title: "Account Executive", phone: "+1 312 555 0142")
    static let marcus = Rep(name: "Marcus Webb", email: "marcus.webb@example.com", title: "Account Executive", phone: "+1 646 555 0198")

    let folder: URL
    let store: SQLiteStore
    let service: WebService
    /// Hannah's and Marcus's open hand-offs, of L-1 and L-2.
    let hannahsHandOff: Int64
    let marcussHandOff: Int64

    init() throws {
        folder = try TemporaryFolder.make("nurture-api")
        store = try SQLiteStore(path: folder.appendingPathComponent("nurture.sqlite").path)
        _ = try store.upsert([
            Self.lead("L-1", owner: Self.hannah, stage: "mql"), Self.lead("L-2", owner: Self.marcus, stage: "mql"),
            Self.lead("L-3", owner: Self.hannah, stage: "mql"), Self.lead("L-4", owner: Self.hannah),
        ])
        let now = Date()
        hannahsHandOff = try Self.handOff("L-1", to: Self.hannah, at: now.addingTimeInterval(-3_600), in: store)
        marcussHandOff = try Self.handOff("L-2", to: Self.marcus, at: now.addingTimeInterval(-3_600), in: store)
        var service = WebService(store: store, keyring: Keyring.rotated(nil, now: now))
        service.definitions = Self.definitions
        self.service = service
    }

    func remove() { TemporaryFolder.remove(folder) }

    static func lead(_ id: String, owner: Rep?, stage: String = "sal") -> Lead {
        Lead(
            id: id, email: "\(id.lowercased())@prospect.example", timeZone: TimeZone(identifier: "America/New_York"), owner: owner,
            stage: stage, attributes: ["first_name": "Sam", "company": "Prospect Co", "title": "VP Revenue Operations",
                                       "company_size": "800", "industry": "software", "webinar_title": "Weekly revenue call",
                                       "demo_focus": "the weekly forecast call"])
    }

    static func handOff(_ leadID: String, to rep: Rep, at: Date, in store: SQLiteStore) throws -> Int64 {
        let handOff = HandOff(rep: rep, reason: "score >= 80", sequence: "post-webinar", score: 85, grade: "A", due: at.addingTimeInterval(8 * 3_600), at: at)
        try store.addHandOffs([NewHandOff(handOff, summary: nil, definitionsVersion: 1)], notices: [], leadID: leadID, at: at)
        return try #require(try store.handOffs(HandOffFilter(leadID: leadID), now: at).last).id
    }

    /// A new token for a source or a rep, stored by its hash.
    func token(_ kind: APITokenRecord.Kind, _ name: String) throws -> String {
        let token = BearerToken.generate()
        _ = try store.addAPIToken(kind: kind, name: name, hash: BearerToken.hash(token), at: Date())
        return token
    }

    static func bearer(_ token: String, _ type: String? = nil) -> HTTPFields {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if let type { headers[.contentType] = type }
        return headers
    }

    /// The event types recorded for a lead, in the order they happened.
    func events(of leadID: String) throws -> [String] {
        try store.history(of: leadID, upTo: Date().addingTimeInterval(86_400)).moments.map(\.event.kind.rawValue)
    }

    static func json(_ buffer: ByteBuffer) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any]) ?? [:]
    }

    /// An ISO 8601 time `minutes` before now: event times must be plausible.
    static func ago(_ minutes: Int) -> String {
        ISO8601DateFormatter().string(from: Date().addingTimeInterval(-Double(minutes) * 60))
    }
}
