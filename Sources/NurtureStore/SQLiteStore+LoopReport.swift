import Foundation
import GRDB
import NurtureCore

/// Deal values on the rep action log in SQLite.
extension SQLiteStore: LoopReportStore {
    public func recordAction(_ action: RepAction, value: DealValue, leadID: String, at: Date, source: String) throws {
        try pool.write { db in try queueAction(action, leadID: leadID, handOffID: nil, at: at, source: source, value: value, db: db) }
    }

    public func repActions(since: Date?, until: Date?) throws -> [RepActionRecord] {
        let rows = try pool.read { db in
            try Row.fetchAll(
                db, sql: """
                    SELECT id, lead_id, hand_off_id, action, at, source, amount_hundredths, currency FROM rep_action
                    WHERE at >= ? AND at < ? ORDER BY at, id
                    """,
                arguments: [since.map(Self.seconds) ?? -Double.greatestFiniteMagnitude, until.map(Self.seconds) ?? Double.greatestFiniteMagnitude])
        }
        return rows.map { row in
            let amount: Int64? = row["amount_hundredths"], currency: String? = row["currency"]
            return RepActionRecord(
                id: row["id"], leadID: row["lead_id"], handOffID: row["hand_off_id"], action: row["action"], at: Self.date(row["at"]),
                source: row["source"], value: amount.flatMap { amount in currency.map { DealValue(hundredths: amount, currency: $0) } })
        }
    }
}
