import Foundation
import NurtureCore
import NurtureStore
import NurtureTestSupport
import Testing

/// `nurture forecast` on a store the scheduler has been running for a week, leads mid-sequence and
/// paced enrolments still to start: the forecast reads the store without changing it, and the
/// scheduler, run on over the same days, hands off what the forecast said, rep by rep and day by day,
/// the queue's hand-offs shared out between the team as its routing shares them.
struct ForecastSchedulerTests {
    /// One email, then a hand-off three days later: the day of each hand-off follows from the
    /// enrolment alone, whatever the behaviour.
    static let later = """
        id: later
        name: Hand-off three days after the email
        description: One email, then a hand-off three days later (the forecast tests).
        audience: stage in [lead]
        reentry: never
        sender: {name: Nurture Test, email: test@example.com}
        send_window: {days: [mon, tue, wed, thu, fri, sat, sun], hours: "00:00-24:00", time_zone: UTC}
        steps:
          - id: hello
            email: blast/hello
          - id: pause
            wait: 3d
          - id: over
            hand_off: Three days after the email
        """

    /// Leads that never open: the behaviour the scheduler sees below, where no event arrives.
    static let silent = """
        version: 1
        time_zones: {UTC: 1}
        personas:
          - id: silent
            share: 1
            open: 0
            click: 0
            reply: 0
            unsubscribe: 0
        """

    static let hannah = Rep(name: "Hannah Lee", email: "hannah.lee@example.com")
    static let marcus = "marcus.webb@example.com"
    static let priya = "priya.raman@example.com"
    static let queue = "sdr-queue@example.com"

    /// The shipped team, with unequal capacities small enough to fill, and Marcus away on Monday.
    static func smallTeam(_ lifecycle: String) -> String {
        lifecycle.replacingOccurrences(of: """
                capacity: 8
                members:
                  - hannah.lee@example.com
                  - {rep: marcus.webb@example.com, away: [2026-12-24..2027-01-01]}
                  - {rep: priya.raman@example.com, capacity: 12}
            """, with: """
                capacity: 2
                members:
                  - hannah.lee@example.com
                  - {rep: marcus.webb@example.com, away: [2026-03-09..2026-03-09]}
                  - {rep: priya.raman@example.com, capacity: 3}
            """)
    }

    @Test func theSchedulerRunOnHandsOffWithinTheForecastAndTheForecastChangesNothing() async throws {
        let folder = try TemporaryFolder.make("nurture-forecast")
        defer { TemporaryFolder.remove(folder) }
        let definitionsFolder = try TestEnvironment.makeDefinitions(in: folder)
        try Self.later.write(to: definitionsFolder.appendingPathComponent("later.yml"), atomically: true, encoding: .utf8)
        let lifecycleFile = definitionsFolder.appendingPathComponent("lifecycle.yml")
        let shipped = try String(contentsOf: lifecycleFile, encoding: .utf8)
        let lifecycle = Self.smallTeam(shipped.replacingOccurrences(of: "    # the SDR takes most first calls", with: ""))
        try #require(lifecycle.contains("away: [2026-03-09..2026-03-09]"), "the shipped team is the one this test narrows")
        try lifecycle.write(to: lifecycleFile, atomically: true, encoding: .utf8)
        let personas = folder.appendingPathComponent("silent.yml")
        try Self.silent.write(to: personas, atomically: true, encoding: .utf8)
        let definitions = try TestEnvironment.loadDefinitions(definitionsFolder.path).get()
        let monday = utc(2026, 3, 2, 15)
        let rig = try VirtualRig(
            folder: folder, definitions: definitions, transport: RetryInProcessTests.ScriptedTransport([]), start: monday)

        // A batch enrolled each day from Monday to Thursday at 15:00 UTC; the first of each is Hannah's.
        let batches = [("A", 3), ("B", 3), ("C", 2), ("D", 4)]
        let utcZone = TimeZone(identifier: "UTC")
        _ = try rig.store.upsert(batches.flatMap { name, size in
            (1...size).map { Lead(id: "\(name)-\($0)", email: "\(name.lowercased())\($0)@example.org", timeZone: utcZone,
                                  owner: $0 == 1 ? Self.hannah : nil, stage: "lead", attributes: ["first_name": "Ada"]) }
        } + (1...3).map { Lead(id: "P-\($0)", email: "p\($0)@example.org", timeZone: utcZone, stage: "lead", attributes: ["first_name": "Pat"]) })
        for (day, (name, size)) in batches.enumerated() {
            rig.clock.advance(to: monday.addingTimeInterval(Double(day) * 86_400))
            try rig.enroll((1...size).map { "\(name)-\($0)" }, in: "later")
            try await rig.drive(until: rig.clock.now().addingTimeInterval(3_600))
        }
        // A paced enrolment still to come: Friday, Monday and Tuesday at 15:00.
        let now = utc(2026, 3, 5, 17)
        try await rig.drive(until: now)
        _ = try rig.store.append([(1, 4), (2, 7), (3, 8)].map { lead, day in
            InboxItem.enrollment(in: "later", leadID: "P-\(lead)", at: monday.addingTimeInterval(Double(day) * 86_400))
        })
        let file = try rig.file()
        #expect(try file.count("SELECT COUNT(*) FROM hand_off") == 3, "Monday's batch was handed off on Thursday")
        let before = try Self.contents(file)

        let run = try NurtureCLI.run([
            "forecast", "--db", rig.dbPath, "--definitions", definitionsFolder.path, "--personas", personas.path,
            "--from", TestEnvironment.iso(now), "--days", "7", "--runs", "5", "--capacity", "2", "--format", "json",
        ])
        try #require(run.status == 0, "\(run.stderr)")
        #expect(try Self.contents(file) == before, "a forecast changes no lead, engine, inbox, outbox or ledger row")

        let report = try #require(try JSONSerialization.jsonObject(with: run.stdoutData) as? [String: Any])
        let reps = try #require(report["reps"] as? [[String: Any]])
        var forecast: [String: [(date: String, p10: Int, p50: Int, p90: Int, capacity: Int, flagged: Bool)]] = [:]
        for rep in reps {
            let days = try #require(rep["days"] as? [[String: Any]])
            forecast[rep["rep"] as! String] = days.map {
                ($0["date"] as! String, $0["p10"] as! Int, $0["p50"] as! Int, $0["p90"] as! Int, $0["capacity"] as! Int, $0["flagged"] as! Bool)
            }
        }
        #expect(Set(forecast.keys) == [Self.hannah.email, Self.marcus, Self.priya, Self.queue])
        let teams = try #require(report["teams"] as? [[String: Any]])
        #expect(teams.map { $0["team"] as? String } == ["Northwind sales"])

        // The scheduler runs on over the same seven days. Its ledger also holds hand-offs nobody
        // answered, handed again to the queue on expiry: reps' answers are not lead behaviour, and
        // the forecast counts the leads the engine hands off.
        try await rig.drive(until: now.addingTimeInterval(7 * 86_400))
        // Each counted on the business day routing counts it on: a weekend's on the Monday.
        let hours = definitions.lifecycle.businessHours
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = hours.timeZone
        formatter.dateFormat = "yyyy-MM-dd"
        var actual: [String: [String: Int]] = [:]
        for row in try file.rows("SELECT rep_email, at FROM hand_off WHERE at > ? AND reason NOT LIKE 'expired unanswered%'", [now.timeIntervalSince1970]) {
            let rep: String = (row["rep_email"] as String?) ?? Self.queue
            let day = HandOffCapacity.day(of: Date(timeIntervalSince1970: row["at"]), businessHours: hours)
            let date = formatter.string(from: ZoneClock(hours.timeZone).instant(localSeconds: day.number * 86_400 + 43_200))
            actual[rep, default: [:]][date, default: 0] += 1
        }
        #expect(actual.values.reduce(0) { $0 + $1.values.reduce(0, +) } >= 8, "B, C, D and the first paced lead hand off")
        for (rep, days) in forecast {
            for day in days {
                let handedOff = actual[rep]?[day.date] ?? 0
                // No behaviour is drawn here: every run is the ledger's day.
                #expect(day.p10 == handedOff && day.p90 == handedOff, "\(rep) on \(day.date): \(handedOff) handed off, forecast \(day.p10)-\(day.p90)")
            }
        }
        // Monday counts Saturday's two and Sunday's four with its own one: Hannah's two, and five
        // of the queue's shared while Marcus is away: Priya three to her capacity, then, everyone
        // at capacity, Hannah and Priya in turn.
        #expect(actual[Self.hannah.email]?["2026-03-09"] == 3 && actual[Self.priya]?["2026-03-09"] == 4, "\(actual)")
        #expect(actual[Self.marcus]?["2026-03-09"] == nil && actual[Self.queue] == nil, "\(actual)")
        #expect(forecast[Self.hannah.email]?.filter(\.flagged).map(\.date) == ["2026-03-09"])
        #expect(forecast[Self.priya]?.filter(\.flagged).map(\.date) == ["2026-03-09"])
        #expect(forecast[Self.marcus]?.first { $0.date == "2026-03-09" }.map { [$0.p50, $0.capacity] } == [0, 0], "Marcus is away")

        let status = try NurtureCLI.run(["status", "--db", rig.dbPath])
        #expect(status.stdout.contains("forecast       7 days from 2026-03-05T17:00:00Z: 2 over capacity: 2026-03-09 hannah.lee@example.com 3/2, 2026-03-09 priya.raman@example.com 4/3"),
                "\(status.stdout)")
        let json = try NurtureCLI.run(["status", "--db", rig.dbPath, "--json"])
        let fields = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any])
        #expect(fields["leads"] as? Int == 15, "the queue's fields are as they were")
        let flags = try #require((fields["forecast"] as? [String: Any])?["flags"] as? [[String: Any]])
        #expect(flags.map { $0["date"] as? String } == ["2026-03-09", "2026-03-09"])
    }

    @Test func aForecastRefusesWhatItCannotRunAndNeverCreatesAStore() throws {
        let folder = try TemporaryFolder.make("nurture-forecast-input")
        defer { TemporaryFolder.remove(folder) }
        let empty = folder.appendingPathComponent("empty.sqlite").path
        _ = FileManager.default.createFile(atPath: empty, contents: nil)
        let onEmpty = try NurtureCLI.run(["forecast", "--db", empty])
        #expect(onEmpty.status != 0 && !onEmpty.crashed)
        #expect(try FileManager.default.attributesOfItem(atPath: empty)[.size] as? Int == 0, "the forecast changed the file")
        let missing = folder.appendingPathComponent("missing.sqlite").path
        #expect(try NurtureCLI.run(["forecast", "--db", missing]).stderr.contains("no store at \(missing)"))
        #expect(!FileManager.default.fileExists(atPath: missing))
        for (option, value, message) in [
            ("--runs", "0", "--runs must be between 1 and 1000"), ("--days", "99999", "--days must be between 1 and 3650"),
            ("--capacity", "0", "--capacity must be between 1 and 10000"), ("--from", "tomorrow", "not a time"),
        ] {
            let run = try NurtureCLI.run(["forecast", "--db", empty, option, value])
            #expect(run.status != 0 && run.stderr.contains(message), "\(option) \(value): \(run.stderr)")
        }
    }

    /// Every row of every table but the forecast's own, in order: what a forecast must leave as it was.
    static func contents(_ file: StoreFile) throws -> [String] {
        let tables = try file.strings(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'forecast%' ORDER BY name")
        return try tables.flatMap { table in
            try file.rows("SELECT * FROM \"\(table)\" ORDER BY rowid").map { "\(table): \($0)" }
        }
    }
}
