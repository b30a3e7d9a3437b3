import Foundation
import GRDB
import NurtureCore

/// The last forecast's summary, as `nurture status` shows it: when it ran, over what, and the days
/// it flagged. Kept apart from the lead, engine and outbox tables, which a forecast never writes.
public struct ForecastSummary: Sendable, Codable, Equatable {
    public var madeAt: Date
    public var days: Int
    public var runs: Int
    public var seed: Int64
    public var leads: Int
    public var flags: [Flag]

    /// A day one rep will most likely not keep up with: the median to follow up against capacity.
    public struct Flag: Sendable, Codable, Equatable {
        public var date: String
        public var rep: String
        public var load: Int
        public var capacity: Int
        public var chance: Double

        public init(date: String, rep: String, load: Int, capacity: Int, chance: Double) {
            self.date = date
            self.rep = rep
            self.load = load
            self.capacity = capacity
            self.chance = chance
        }
    }

    public init(madeAt: Date, days: Int, runs: Int, seed: Int64, leads: Int, flags: [Flag]) {
        self.madeAt = madeAt
        self.days = days
        self.runs = runs
        self.seed = seed
        self.leads = leads
        self.flags = flags
    }
}

/// One lead as the store holds it: its profile and engine state still encoded, and its inbox.
public struct StoredLead: Sendable {
    public var id: String
    var profile: Data
    var state: Data?
    public var inbox: [InboxItem]

    /// The lead and its engine state (nil for a lead the engine has not seen yet).
    public func decoded() throws -> (Lead, LeadState?) {
        (try StoredBlob.decode(LeadProfile.self, from: profile).lead, try state.map { try StoredBlob.decode(LeadState.self, from: $0) })
    }
}

extension SQLiteStore {
    /// Every lead as stored, with the inbox items it has not processed yet (paced enrolments dated
    /// ahead among them) in the order the scheduler applies them; read in pages of 1,000 leads so
    /// memory stays flat. The lead and its state are left encoded (``StoredLead/decoded()``), so
    /// that a reader that hands them to worker threads decodes them there. Items of a kind this
    /// version does not know are left out.
    public func forEachStoredLead(_ body: (StoredLead) throws -> Void) throws {
        let decoder = JSONDecoder()
        var after = ""
        while true {
            let (page, items) = try pool.read { db in
                let page = try Row.fetchAll(
                    db, sql: "SELECT id, profile, state FROM lead WHERE id > ? ORDER BY id LIMIT 1000", arguments: [after])
                guard let last = page.last else { return (page, [Row]()) }
                let items = try Row.fetchAll(
                    db, sql: "SELECT id, lead_id, at, payload FROM inbox WHERE processed = 0 AND lead_id > ? AND lead_id <= ? ORDER BY lead_id, at, id",
                    arguments: [after, last["id"] as String])
                return (page, items)
            }
            guard let last = page.last else { return }
            var byLead: [String: [InboxItem]] = [:]
            for row in items {
                guard let payload = try? decoder.decode(InboxItem.Payload.self, from: row["payload"] as Data) else { continue }
                let leadID: String = row["lead_id"]
                byLead[leadID, default: []].append(InboxItem(id: row["id"], leadID: leadID, at: Self.date(row["at"]), payload: payload))
            }
            for row in page {
                let id: String = row["id"]
                try body(StoredLead(id: id, profile: row["profile"], state: row["state"], inbox: byLead[id] ?? []))
            }
            after = last["id"]
        }
    }

    /// Replaces the last forecast's summary with `summary`, in one short transaction.
    public func recordForecast(_ summary: ForecastSummary) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM forecast_flag")
            try db.execute(sql: "DELETE FROM forecast")
            try db.execute(
                sql: "INSERT INTO forecast (id, made_at, days, runs, seed, leads) VALUES (1, ?, ?, ?, ?, ?)",
                arguments: [Self.seconds(summary.madeAt), summary.days, summary.runs, summary.seed, summary.leads])
            for flag in summary.flags {
                try db.execute(
                    sql: "INSERT INTO forecast_flag (forecast_id, day, rep_email, load, capacity, chance) VALUES (1, ?, ?, ?, ?, ?)",
                    arguments: [flag.date, flag.rep, flag.load, flag.capacity, flag.chance])
            }
        }
    }

    /// The last forecast's summary; nil when none was recorded.
    public func lastForecast() throws -> ForecastSummary? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT made_at, days, runs, seed, leads FROM forecast WHERE id = 1") else { return nil }
            let flags = try Row.fetchAll(
                db, sql: "SELECT day, rep_email, load, capacity, chance FROM forecast_flag ORDER BY day, rep_email"
            ).map { ForecastSummary.Flag(date: $0["day"], rep: $0["rep_email"], load: $0["load"], capacity: $0["capacity"], chance: $0["chance"]) }
            return ForecastSummary(
                madeAt: Self.date(row["made_at"]), days: row["days"], runs: row["runs"], seed: row["seed"], leads: row["leads"], flags: flags)
        }
    }
}
