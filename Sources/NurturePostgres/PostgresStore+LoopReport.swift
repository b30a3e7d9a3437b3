import Foundation
import NurtureCore
import NurtureStore
import PostgresNIO

/// Deal values on the rep action log on PostgreSQL, over the same `rep_action` columns as SQLite.
extension PostgresStore: LoopReportStore {
    public func recordAction(_ action: RepAction, value: DealValue, leadID: String, at: Date, source: String) throws {
        try transaction { connection in
            try await self.queueAction(action, leadID: leadID, handOffID: nil, at: at, source: source, value: value, on: connection)
        }
    }

    public func repActions(since: Date?, until: Date?) throws -> [RepActionRecord] {
        let rows = try transaction { connection in
            try await connection.rows(
                """
                SELECT id, lead_id, hand_off_id, action, at, source, amount_hundredths, currency FROM rep_action
                WHERE at >= \(since?.seconds ?? -Double.greatestFiniteMagnitude) AND at < \(until?.seconds ?? Double.greatestFiniteMagnitude)
                ORDER BY at, id
                """, logger: self.logger)
        }
        return try rows.map { row in
            let amount = try row["amount_hundredths", as: Int64?.self], currency = try row["currency", as: String?.self]
            return RepActionRecord.stored(
                id: try row["id"], leadID: try row["lead_id"], handOffID: try row["hand_off_id"], action: try row["action"],
                at: Date(timeIntervalSince1970: try row["at"]), source: try row["source"],
                value: amount.flatMap { amount in currency.map { DealValue(hundredths: amount, currency: $0) } })
        }
    }
}
