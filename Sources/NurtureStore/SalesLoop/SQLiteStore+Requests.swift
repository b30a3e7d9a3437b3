import Foundation
import GRDB
import NurtureCore

/// Rep-requested nurtures in SQLite.
extension SQLiteStore {
    public func addRequest(
        leadID: String, sequence: String, rep: Rep, note: String?, until: Date?, newOwner: Lead?, at: Date
    ) throws -> Int64 {
        try pool.write { db in
            if let newOwner {
                try db.execute(
                    sql: "UPDATE lead SET profile = ?, updated_at = ? WHERE id = ?",
                    arguments: [StoredBlob.encode(LeadProfile(newOwner)), Self.seconds(at), leadID])
            }
            try db.execute(
                sql: """
                    INSERT INTO nurture_request (lead_id, sequence, rep_name, rep_email, note, until_at, status, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'open', ?)
                    """,
                arguments: [leadID, sequence, rep.name, rep.email.lowercased(), note, until.map(Self.seconds), Self.seconds(at)])
            let id = db.lastInsertedRowID
            _ = try insert(InboxItem.enrollment(in: sequence, leadID: leadID, at: at), db: db)
            try db.execute(
                sql: "INSERT INTO audit (at, lead_id, entry) VALUES (?, ?, ?)",
                arguments: [Self.seconds(at), leadID, "nurture requested by \(rep.email) in \(sequence) (request \(id))"])
            return id
        }
    }

    func nurtureRequest(_ row: Row) -> NurtureRequest {
        NurtureRequest(
            id: row["id"], leadID: row["lead_id"], sequence: row["sequence"], repName: row["rep_name"], repEmail: row["rep_email"],
            note: row["note"], until: (row["until_at"] as Double?).map(Self.date),
            status: NurtureRequest.Status(rawValue: row["status"]) ?? .open, createdAt: Self.date(row["created_at"]),
            handOffID: row["hand_off_id"], closedAt: (row["closed_at"] as Double?).map(Self.date))
    }

    public func requests(leadID: String?, repEmail: String?, since: Date?, until: Date?) throws -> [NurtureRequest] {
        var conditions: [String] = [], arguments: [any DatabaseValueConvertible] = []
        if let leadID {
            conditions.append("lead_id = ?")
            arguments.append(leadID)
        }
        if let repEmail {
            conditions.append("rep_email = ?")
            arguments.append(repEmail.lowercased())
        }
        if let since {
            conditions.append("created_at >= ?")
            arguments.append(Self.seconds(since))
        }
        if let until {
            conditions.append("created_at < ?")
            arguments.append(Self.seconds(until))
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM nurture_request \(whereClause) ORDER BY created_at, id", arguments: StatementArguments(arguments))
        }.map(nurtureRequest)
    }

    public func request(_ id: Int64) throws -> NurtureRequest? {
        try pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM nurture_request WHERE id = ?", arguments: [id]) }
            .map(nurtureRequest)
    }

    public func cancelRequest(_ id: Int64, at: Date) throws {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE nurture_request SET status = 'abandoned', closed_at = ? WHERE id = ? AND status IN ('open', 'handed_back')",
                arguments: [Self.seconds(at), id])
            try db.execute(
                sql: "INSERT INTO audit (at, lead_id, entry) SELECT ?, lead_id, ? FROM nurture_request WHERE id = ?",
                arguments: [Self.seconds(at), "request \(id) cancelled by the rep", id])
        }
    }

    public func closeLapsedRequests(now: Date) throws -> Int {
        try pool.write { db in
            try db.execute(
                sql: "UPDATE nurture_request SET status = 'unused', closed_at = ?1 WHERE status = 'open' AND until_at < ?1",
                arguments: [Self.seconds(now)])
            return db.changesCount
        }
    }
}
