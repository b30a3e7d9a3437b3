import Foundation
import NurtureCore
import NurtureDefinitions
import NurtureTestSupport
import Testing

/// Lead files and event logs: what `nurture trace` reads besides the definitions.
@Suite("Input files")
struct InputFileTests {
    static let goodLead = """
        # A test lead.
        id: L-1
        email: ana.silva@example.com
        first_name: Ana
        company: Tidewater Labs
        company_size: 420
        time_zone: Europe/Lisbon
        stage: lead
        owner: {name: Hannah Lindqvist, email: hannah.lindqvist@example.com, title: Account Executive}

        """

    /// Writes `text` to a scratch file and loads it as a lead.
    static func loadLead(_ text: String) throws -> (path: String, lead: Lead?, diagnostics: Diagnostics) {
        let folder = try TemporaryFolder.make("nurture-lead")
        defer { TemporaryFolder.remove(folder) }
        let path = try TemporaryFolder.write(text, to: "lead.yml", in: folder)
        let (lead, diagnostics) = LeadFile.load(path: path)
        return (path, lead, diagnostics)
    }

    static func loadEvents(_ text: String, name: String) throws -> (path: String, rows: [EventLog.Row], diagnostics: Diagnostics) {
        let folder = try TemporaryFolder.make("nurture-events")
        defer { TemporaryFolder.remove(folder) }
        let path = try TemporaryFolder.write(text, to: name, in: folder)
        let (rows, diagnostics) = EventLog.load(path: path)
        return (path, rows, diagnostics)
    }

    static func positions(_ diagnostics: [Diagnostic]) -> [String] {
        diagnostics.map { "\($0.line):\($0.column)" }
    }

    // MARK: Lead files

    @Test("a good lead file loads every field")
    func goodLead() throws {
        let (_, lead, diagnostics) = try Self.loadLead(Self.goodLead)
        #expect(diagnostics.all.isEmpty, "\(diagnostics.all)")
        let loaded = try #require(lead)
        #expect(loaded.id == "L-1")
        #expect(loaded.email == "ana.silva@example.com")
        #expect(loaded.timeZone?.identifier == "Europe/Lisbon")
        #expect(loaded.stage == "lead")
        #expect(loaded.owner?.name == "Hannah Lindqvist")
        #expect(loaded.owner?.email == "hannah.lindqvist@example.com")
        #expect(loaded.attributes["first_name"] == "Ana")
        #expect(loaded.attributes["company_size"] == "420")
    }

    @Test("the example leads load cleanly")
    func exampleLeads() throws {
        for name in ["priya-natarajan.yml", "daniel-okafor.yml"] {
            let path = PackageFolders.root.appendingPathComponent("examples/leads/\(name)").path
            let (lead, diagnostics) = LeadFile.load(path: path)
            #expect(diagnostics.all.isEmpty, "\(name): \(diagnostics.all)")
            #expect(lead?.timeZone != nil, "\(name) has no time zone")
        }
    }

    @Test("a bad email is reported at its value, and no lead is returned")
    func badEmail() throws {
        let text = Self.goodLead.replacingOccurrences(of: "email: ana.silva@example.com", with: "email: ana.silva(at)example.com")
        let (path, lead, diagnostics) = try Self.loadLead(text)
        #expect(lead == nil)
        let error = try #require(diagnostics.errors.first)
        #expect(diagnostics.errors.count == 1, "\(diagnostics.all)")
        #expect(error.description == "\(path):3:8: error: 'ana.silva(at)example.com' is not an email address")
    }

    @Test("a misspelt time zone is reported at its value")
    func badTimeZone() throws {
        let text = Self.goodLead.replacingOccurrences(of: "time_zone: Europe/Lisbon", with: "time_zone: Europe/Lisbn")
        let (path, lead, diagnostics) = try Self.loadLead(text)
        #expect(lead == nil)
        #expect(diagnostics.errors.count == 1, "\(diagnostics.all)")
        let error = try #require(diagnostics.errors.first)
        #expect(error.file == path)
        #expect((error.line, error.column) == (7, 12))
        #expect(error.message.contains("unknown time zone 'Europe/Lisbn'"))
    }

    @Test("every problem in a lead file is reported in one pass")
    func severalProblems() throws {
        let text = Self.goodLead
            .replacingOccurrences(of: "email: ana.silva@example.com", with: "email: ana.silva")
            .replacingOccurrences(of: "time_zone: Europe/Lisbon", with: "time_zone: CET+1")
            .replacingOccurrences(of: "email: hannah.lindqvist@example.com", with: "email: hannah")
        let (_, lead, diagnostics) = try Self.loadLead(text)
        #expect(lead == nil)
        #expect(Self.positions(diagnostics.sorted) == ["3:8", "7:12", "9:40"], "\(diagnostics.all)")
    }

    @Test("a lead without an email, and a lead that is not a mapping")
    func missingEmailAndWrongShape() throws {
        let noEmail = try Self.loadLead("id: L-2\nfirst_name: Bo\n")
        #expect(noEmail.lead == nil)
        #expect(noEmail.diagnostics.errors.map(\.message) == ["a lead needs an 'email'"])

        let list = try Self.loadLead("- id: L-3\n- email: bo@example.com\n")
        #expect(list.lead == nil)
        #expect(list.diagnostics.errors.first?.message.contains("expected a lead") == true)
    }

    // MARK: Event logs

    @Test("a CSV log keeps its good rows and reports each bad row at its line")
    func csvWithBadRows() throws {
        let text = """
            at,type,category,step
            2026-03-03T10:12:00+05:30,email_open,,recording
            2026-03-03 10:15,email_click,case-study,recording
            2026-03-03T21:40:00+05:30,page_view,pricing,
            2026-03-04T09:00:00+05:30,email_click,pricing
            2026-03-05T09:44:00.250Z,email_click,case-study,case-study

            """
        let (path, rows, diagnostics) = try Self.loadEvents(text, name: "events.csv")
        #expect(rows.map(\.line) == [2, 6])
        #expect(rows.map(\.event.kind) == [.emailOpen, .emailClick])
        #expect(rows.first?.event.step == "recording")
        #expect(rows.first?.event.category == nil, "an empty field is no category")
        #expect(rows.last?.event.category == "case-study")
        #expect(rows.first?.at == ISO8601DateFormatter().date(from: "2026-03-03T04:42:00Z"))

        let errors = diagnostics.sorted
        #expect(errors.allSatisfy { $0.severity == .error && $0.file == path })
        #expect(Self.positions(errors) == ["3:1", "4:27", "5:1"], "\(errors)")
        #expect(errors.count == 3)
        if errors.count == 3 {
            #expect(errors[0].message.contains("'2026-03-03 10:15' is not a time"))
            #expect(errors[1].message.contains("unknown event type 'page_view'"))
            #expect(errors[2].message.contains("expected 4 fields, found 3"))
        }
    }

    @Test("a backtest recording's outcome rows are named as such where prospect events are read")
    func outcomeRowsOutsideABacktest() throws {
        let text = """
            at,type,step
            2025-10-14T15:12:00Z,email_sent,recording
            2025-10-14T16:02:00Z,email_open,recording
            2025-10-20T09:00:00Z,handed_off,

            """
        let (_, rows, diagnostics) = try Self.loadEvents(text, name: "recording.csv")
        #expect(rows.map(\.line) == [3])
        #expect(Self.positions(diagnostics.sorted) == ["2:22", "4:22"], "\(diagnostics.sorted)")
        #expect(diagnostics.sorted.map(\.message) == [
            "'email_sent' records what a program did, which only a backtest reads; row skipped",
            "'handed_off' records what a program did, which only a backtest reads; row skipped",
        ])
    }

    @Test("a JSON Lines log keeps its good rows and reports each bad line")
    func jsonLinesWithBadRows() throws {
        let text = """
            {"at": "2026-03-03T10:12:00+05:30", "type": "email_open", "step": "recording"}
            {"at": "yesterday", "type": "email_click"}
            {"at": "2026-03-03T21:40:00+05:30", "type": "visit", "category": "pricing"}
            {"at": "2026-03-04T09:00:00+05:30", "type": "email_click",
            {"at": "2026-03-05T09:44:00+05:30", "type": "page_visit", "category": "pricing", "lead": "L-1"}

            """
        let (path, rows, diagnostics) = try Self.loadEvents(text, name: "events.jsonl")
        #expect(rows.map(\.line) == [1, 5])
        #expect(rows.map(\.event.kind) == [.emailOpen, .pageVisit])
        #expect(rows.last?.lead == "L-1")
        #expect(rows.last?.event.category == "pricing")

        let errors = diagnostics.sorted
        #expect(errors.allSatisfy { $0.severity == .error && $0.file == path })
        #expect(errors.map(\.line) == [2, 3, 4], "\(errors)")
        if errors.count == 3 {
            #expect(errors[0].message.contains("'yesterday' is not a time"))
            #expect(errors[1].message.contains("unknown event type 'visit'"))
            #expect(errors[2].message.contains("not a JSON object"))
        }
    }

    @Test("an unknown CSV column is reported at its column in the header")
    func unknownColumn() throws {
        let text = "at,type,category,step,channel\n2026-03-03T10:12:00+05:30,email_open,,recording,email\n"
        let (path, rows, diagnostics) = try Self.loadEvents(text, name: "events.csv")
        #expect(rows.isEmpty)
        let error = try #require(diagnostics.errors.first)
        #expect(diagnostics.errors.count == 1)
        #expect(error.description.hasPrefix("\(path):1:23: error: unknown column 'channel'"))
    }

    @Test("a CSV log without a type column says so")
    func missingColumn() throws {
        let (_, rows, diagnostics) = try Self.loadEvents("at,category\n2026-03-03T10:12:00+05:30,pricing\n", name: "events.csv")
        #expect(rows.isEmpty)
        #expect(diagnostics.errors.map(\.message) == ["missing column 'type'"])
    }

    @Test("an unknown JSON field is a warning, and the row is kept")
    func unknownJSONField() throws {
        let text = #"{"at": "2026-03-03T10:12:00+05:30", "type": "email_open", "channel": "email"}"# + "\n"
        let (_, rows, diagnostics) = try Self.loadEvents(text, name: "events.jsonl")
        #expect(rows.count == 1)
        #expect(diagnostics.errors.isEmpty)
        #expect(diagnostics.warnings.map(\.message) == ["unknown field 'channel' ignored"])
    }

    @Test("the example event logs load cleanly")
    func exampleEvents() throws {
        for (name, count) in [("priya-webinar.csv", 10), ("daniel-not-ready.csv", nil as Int?)] {
            let path = PackageFolders.root.appendingPathComponent("examples/events/\(name)").path
            let (rows, diagnostics) = EventLog.load(path: path)
            #expect(diagnostics.all.isEmpty, "\(name): \(diagnostics.all)")
            #expect(!rows.isEmpty)
            if let count { #expect(rows.count == count) }
        }
    }
}
