import Foundation
import GRDB
@testable import NurtureStore
import NurtureTestSupport
import Testing

/// The batched writer behind tracked clicks and opens: every caller returns after its write is
/// committed, and a write that fails is rolled back alone.
@Suite struct GroupCommitTests {
    /// `count` writers at once, each inserting its number into a table of its own; odd ones throw
    /// after inserting when `oddFail`. Returns what each caller got, and the store file's path.
    static func writeConcurrently(_ count: Int, oddFail: Bool, in folder: URL) async throws -> (results: [Int: Bool], path: String) {
        let path = folder.appendingPathComponent("nurture.sqlite").path
        let store = try SQLiteStore(path: path)
        try await store.pool.write { try $0.execute(sql: "CREATE TABLE probe (n INTEGER PRIMARY KEY)") }
        struct Refused: Error {}
        let outcomes = await withTaskGroup(of: (Int, Bool, committed: Bool).self) { group in
            for number in 0..<count {
                group.addTask {
                    do {
                        try await store.groupCommit.write { db in
                            try db.execute(sql: "INSERT INTO probe (n) VALUES (?)", arguments: [number])
                            if oddFail, number % 2 == 1 { throw Refused() }
                        }
                        // Read on a connection of its own: the write is committed when the call returns.
                        let seen = try? await DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "SELECT n FROM probe WHERE n = ?", arguments: [number]) }
                        return (number, true, seen == number)
                    } catch {
                        return (number, false, true)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.allSatisfy { $0.committed }, "every write is committed before its caller returns")
        return (Dictionary(uniqueKeysWithValues: outcomes.map { ($0.0, $0.1) }), path)
    }

    @Test func everyCallerReturnsAfterItsWriteIsCommitted() async throws {
        let folder = try TemporaryFolder.make("nurture-group-commit")
        defer { TemporaryFolder.remove(folder) }
        let (results, path) = try await Self.writeConcurrently(200, oddFail: false, in: folder)
        #expect(results.count == 200 && results.values.allSatisfy { $0 })
        #expect(try await DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM probe") } == 200)
    }

    @Test func aFailingWriteIsRolledBackAloneAndItsCallerGetsTheError() async throws {
        let folder = try TemporaryFolder.make("nurture-group-commit")
        defer { TemporaryFolder.remove(folder) }
        let (results, path) = try await Self.writeConcurrently(200, oddFail: true, in: folder)
        #expect(results.count == 200)
        #expect(results.allSatisfy { $0.value == ($0.key % 2 == 0) })
        let stored = try await DatabaseQueue(path: path).read { try Int.fetchAll($0, sql: "SELECT n FROM probe ORDER BY n") }
        #expect(stored == Array(stride(from: 0, to: 200, by: 2)))
    }
}
