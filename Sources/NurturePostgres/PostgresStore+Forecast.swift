import Foundation
import NurtureStore
import PostgresNIO

/// The live pipeline for a forecast, and the last forecast's summary, on PostgreSQL: the SQLite
/// store's reads and tables.
extension PostgresStore: ForecastStore {
    /// Leads per page: one page and its inbox are in memory at a time.
    static let leadPage = 1_000

    public func forEachStoredLead(_ body: (StoredLead) throws -> Void) throws {
        var next = ""
        while true {
            let after = next
            let (page, items) = try transaction { connection -> ([PostgresRandomAccessRow], [PostgresRandomAccessRow]) in
                let page = try await connection.rows(
                    "SELECT id, profile, state FROM lead WHERE id > \(after) ORDER BY id LIMIT \(Self.leadPage)", logger: self.logger)
                guard let last = try page.last?["id", as: String.self] else { return (page, []) }
                let items = try await connection.rows(
                    """
                    SELECT id, lead_id, at, payload FROM inbox WHERE processed = 0 AND lead_id > \(after) AND lead_id <= \(last)
                    ORDER BY lead_id, at, id
                    """, logger: self.logger)
                return (page, items)
            }
            guard let last = page.last else { return }
            var byLead: [String: [InboxItem]] = [:]
            for row in items {
                guard let payload = try? StoredForms.payload(from: try row["payload"]) else { continue }
                let leadID: String = try row["lead_id"]
                byLead[leadID, default: []].append(
                    InboxItem(id: try row["id"], leadID: leadID, at: Date(timeIntervalSince1970: try row["at"]), payload: payload))
            }
            for row in page {
                let id: String = try row["id"]
                try body(StoredLead.stored(id: id, profile: try row["profile"], state: try row["state"], inbox: byLead[id] ?? []))
            }
            next = try last["id"]
        }
    }

    public func recordForecast(_ summary: ForecastSummary) throws {
        try transaction { connection in
            try await connection.query("DELETE FROM forecast", logger: self.logger)
            try await connection.query(
                """
                INSERT INTO forecast (id, made_at, days, runs, seed, leads)
                VALUES (1, \(summary.madeAt.seconds), \(summary.days), \(summary.runs), \(summary.seed), \(summary.leads))
                """, logger: self.logger)
            for flag in summary.flags {
                try await connection.query(
                    """
                    INSERT INTO forecast_flag (forecast_id, day, rep_email, load, capacity, chance)
                    VALUES (1, \(flag.date), \(flag.rep), \(flag.load), \(flag.capacity), \(flag.chance))
                    """, logger: self.logger)
            }
        }
    }

    public func lastForecast() throws -> ForecastSummary? {
        let (forecast, flags) = try transaction { connection -> (PostgresRandomAccessRow?, [PostgresRandomAccessRow]) in
            let forecast = try await connection.rows(
                "SELECT made_at, days::bigint, runs::bigint, seed, leads::bigint FROM forecast WHERE id = 1", logger: self.logger).first
            let flags = try await connection.rows(
                """
                SELECT day, rep_email, load::bigint, capacity::bigint, chance FROM forecast_flag
                ORDER BY day COLLATE "C", rep_email COLLATE "C"
                """, logger: self.logger)
            return (forecast, flags)
        }
        guard let forecast else { return nil }
        return ForecastSummary(
            madeAt: Date(timeIntervalSince1970: try forecast["made_at"]), days: Int(try forecast["days", as: Int64.self]),
            runs: Int(try forecast["runs", as: Int64.self]), seed: try forecast["seed"], leads: Int(try forecast["leads", as: Int64.self]),
            flags: try flags.map {
                ForecastSummary.Flag(
                    date: try $0["day"], rep: try $0["rep_email"], load: Int(try $0["load", as: Int64.self]),
                    capacity: Int(try $0["capacity", as: Int64.self]), chance: try $0["chance"])
            })
    }
}
