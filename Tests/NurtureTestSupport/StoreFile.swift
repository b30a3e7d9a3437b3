import Foundation
import GRDB

/// Reads a store's SQLite file directly, as an operator would: what `nurture status` summarises.
public struct StoreFile {
    public let path: String
    private let queue: DatabaseQueue

    public init(_ path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        queue = try DatabaseQueue(path: path, configuration: configuration)
    }

    public func rows(_ sql: String, _ arguments: StatementArguments = []) throws -> [Row] {
        try queue.read { try Row.fetchAll($0, sql: sql, arguments: arguments) }
    }

    /// Writes to the file behind the store's back, as an earlier version of the product would have.
    public func execute(_ sql: String, _ arguments: StatementArguments = []) throws {
        try queue.write { try $0.execute(sql: sql, arguments: arguments) }
    }

    public func count(_ sql: String, _ arguments: StatementArguments = []) throws -> Int {
        try queue.read { try Int.fetchOne($0, sql: sql, arguments: arguments) ?? 0 }
    }

    public func strings(_ sql: String, _ arguments: StatementArguments = []) throws -> [String] {
        try queue.read { try String.fetchAll($0, sql: sql, arguments: arguments) }
    }

    public struct SendRow: Sendable {
        public var key: String
        public var leadID: String
        public var sequence: String
        public var step: String
        public var status: String
        public var attempts: Int
        public var nextAttemptAt: Date
        public var messageID: String?
        public var lastCode: Int?
        public var lastText: String?
        public var finishedAt: Date?
    }

    public func sends(_ condition: String = "1", _ arguments: StatementArguments = []) throws -> [SendRow] {
        try rows("SELECT * FROM send WHERE \(condition) ORDER BY due_at, key", arguments).map { row in
            SendRow(
                key: row["key"], leadID: row["lead_id"], sequence: row["sequence"], step: row["step"], status: row["status"],
                attempts: row["attempts"], nextAttemptAt: Date(timeIntervalSince1970: row["next_attempt_at"]),
                messageID: row["message_id"], lastCode: row["last_code"], lastText: row["last_text"],
                finishedAt: (row["finished_at"] as Double?).map { Date(timeIntervalSince1970: $0) })
        }
    }

    public func audit(lead: String) throws -> [String] {
        try strings("SELECT entry FROM audit WHERE lead_id = ? ORDER BY id", [lead])
    }
}
