import Foundation
import GRDB
import NurtureCore
import NurtureDefinitions
import NurtureStore
import NurtureTestSupport

/// The shipped definitions and a real store in a scratch folder, with a snapshot of every table
/// to show that a refused operation changed nothing.
struct LoopFixture {
    static let definitions: DefinitionSet = {
        let loaded = DefinitionLoader.load(directory: PackageFolders.sequences.path)
        guard let definitions = loaded.definitions else { fatalError("the shipped definitions do not load") }
        return definitions
    }()

    static let hannah = Rep(name: "Hannah Lee", email: "hannah.lee@example.com", title: "Account Executive", phone: "+1 312 555 0142")
    static let marcus = Rep(name: "Marcus Webb", email: "marcus.webb@example.com", title: "Account Executive", phone: "+1 646 555 0198")

    let folder: URL
    let path: String
    let store: SQLiteStore

    init(_ name: String) throws {
        folder = try TemporaryFolder.make(name)
        path = folder.appendingPathComponent("nurture.sqlite").path
        store = try SQLiteStore(path: path)
    }

    func remove() { TemporaryFolder.remove(folder) }

    static func lead(_ id: String, owner: Rep? = nil, stage: String = "sal", title: String = "VP Revenue Operations") -> Lead {
        Lead(
            id: id, email: "\(id.lowercased())@prospect.example", timeZone: TimeZone(identifier: "America/New_York"), owner: owner,
            stage: stage, attributes: ["first_name": "Sam", "company": "Prospect Co", "title": title, "company_size": "800",
                                       "industry": "software", "webinar_title": "Weekly revenue call",
                                       "demo_focus": "the weekly forecast call"])
    }

    /// Every row of every table, as text: equal snapshots mean nothing changed.
    func snapshot() throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            return try tables.flatMap { table in
                try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"").map { "\(table): \($0.description)" }
            }
        }
    }

    /// A hand-off for `leadID`, as the scheduler records one.
    func handOff(_ leadID: String, to rep: Rep, at: Date, due: Date) throws -> Int64 {
        let handOff = HandOff(rep: rep, reason: "score >= 80", sequence: "post-webinar", score: 85, grade: "A", due: due, at: at)
        try store.addHandOffs([NewHandOff(handOff, summary: nil, definitionsVersion: 1)], notices: [], leadID: leadID, at: at)
        return try store.handOffs(HandOffFilter(leadID: leadID), now: at).last!.id
    }
}
