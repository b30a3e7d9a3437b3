import Foundation
import NurtureCore
@testable import NurtureDefinitions
@testable import NurtureMail
import NurtureTokens
import NurtureSMTP
import NurtureStore
import NurtureTestSupport
import Testing

/// Input as an attacker or a hurried operator gives it: each test is one way such input once
/// hung, crashed, injected or lost data. A new finding gets its test here, named for what must
/// hold.
@Suite struct HostileInputTests {
    static let escape = "\u{1b}"

    static func folder(_ name: String = "nurture-hostile") throws -> URL { try TemporaryFolder.make(name) }

    // MARK: Hangs and crashes

    @Test("an alias that expands past the node limit is refused at the alias, at once")
    func aliasExpansion() throws {
        let folder = try Self.folder()
        defer { TemporaryFolder.remove(folder) }
        var lines = ["email: a@example.org", "a0: &a0 [x]"]
        for level in 1...9 { lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ",") + "]") }
        lines += ["bomb:", "  ? *a9", "  : 1"]
        let path = try TemporaryFolder.write(lines.joined(separator: "\n") + "\n", to: "lead.yml", in: folder)
        let started = ContinuousClock.now
        let (lead, diagnostics) = LeadFile.load(path: path)
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(lead == nil)
        let error = try #require(diagnostics.errors.first)
        #expect(error.line == 7 && error.column == 22, "at the alias that first goes past the limit: \(error)")
        #expect(error.message.contains("\(AliasExpansion.maxNodes) nodes"))

        // A few aliases, as people use them, are fine.
        #expect(AliasExpansion.excess(in: "base: &b {x: 1}\none: *b\ntwo: *b\n") == nil)
    }

    @Test("a file read whole is refused above its size limit")
    func oversizedFile() throws {
        let folder = try Self.folder()
        defer { TemporaryFolder.remove(folder) }
        let path = folder.appendingPathComponent("lead.yml").path
        try Data(repeating: UInt8(ascii: "#"), count: TextFile.maxBytes + 1).write(to: URL(fileURLWithPath: path))
        let (lead, diagnostics) = LeadFile.load(path: path)
        #expect(lead == nil)
        #expect(diagnostics.errors.map(\.message) == ["the file is larger than 16 MiB, the most read at once"])
    }

    @Test("numeric options out of their range are refused when parsed, never trap", arguments: [
        ["simulate", "post-webinar", "--prospects", "9223372036854775807"],
        ["compare", "post-webinar", "post-webinar", "--prospects", "9223372036854775807"],
        ["simulate", "post-webinar", "--reps", "4611686018427387904", "--capacity", "2"],
        ["simulate", "post-webinar", "--threads", "100000"],
        ["tick", "--relay", "smtp://127.0.0.1:9", "--connections", "9223372036854775807"],
        ["tick", "--relay", "smtp://127.0.0.1:9", "--connections", "100000"],
        ["tick", "--relay", "smtp://127.0.0.1:9", "--rate", "0"],
        ["tick", "--relay", "smtp://127.0.0.1:9", "--rate=-5"],
        ["tick", "--relay", "smtp://127.0.0.1:9", "--rate", "nan"],
        ["tick", "--relay", "smtp://127.0.0.1:9", "--rate", "inf"],
        ["tick", "--relay", "smtp://127.0.0.1:9", "--send-lease", "1e300"],
        ["tick", "--relay", "smtp://127.0.0.1:9", "--lead-batch", "9223372036854775807"],
    ])
    func numericOptions(arguments: [String]) throws {
        let folder = try Self.folder()
        defer { TemporaryFolder.remove(folder) }
        let db = folder.appendingPathComponent("db.sqlite").path
        let run = try NurtureCLI.run(arguments + (arguments[0] == "tick" ? ["--db", db] : []))
        #expect(!run.crashed, "\(arguments)")
        #expect(run.status == 64, "\(arguments): \(run.stderr)")
        #expect(run.stderr.contains("must be between"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: db), "a refused option leaves no store behind")
    }

    @Test("a relay is given at most 64 connections")
    func connectionLimit() throws {
        #expect(throws: RelayConfiguration.Failure.self) { try RelayConfiguration(url: "smtp://127.0.0.1:25", connections: 65) }
        #expect(try RelayConfiguration(url: "smtp://127.0.0.1:25", connections: 64).connections == 64)
    }

    @Test("a device or a pipe given as an input file is refused at once", arguments: [
        ["leads", "import", "INPUT"],
        ["backtest", "post-webinar", "--leads", "INPUT", "--events", "examples/backtest/events.csv"],
        ["events", "ingest", "INPUT"],
        ["render", "post-webinar", "recording", "--lead", "INPUT"],
        ["simulate", "post-webinar", "--personas", "INPUT", "--prospects", "10"],
    ])
    func nonRegularFiles(arguments: [String]) throws {
        let folder = try Self.folder()
        defer { TemporaryFolder.remove(folder) }
        let fifo = folder.appendingPathComponent("pipe").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let storeOption = ["leads", "events"].contains(arguments[0]) ? ["--db", folder.appendingPathComponent("db.sqlite").path] : []
        for input in ["/dev/zero", fifo] {
            let command = arguments.map { $0 == "INPUT" ? input : $0 } + storeOption
            let started = ContinuousClock.now
            let run = try NurtureCLI.run(command)
            #expect(ContinuousClock.now - started < .seconds(20), "\(command)")
            #expect(run.status != 0 && !run.crashed, "\(command)")
            #expect(run.stderr.contains("is not a regular file"), "\(command): \(run.stderr)")
        }
    }

    // MARK: Injection

    @Test("unsubscribe links must be an https URL and a mail address", arguments: [
        ("https://u.example.com/x>\r\nBcc: inj@evil.test\r\nX-A: <", "u@example.com"),
        ("https://u.example.com/x\nBcc: inj@evil.test", "u@example.com"),
        ("https://u.example.com/" + String(repeating: "a", count: 3_000), "u@example.com"),
        ("javascript:alert(1)", "u@example.com"),
        ("http://u.example.com/x", "u@example.com"),
        ("https://user:pw@u.example.com/x", "u@example.com"),
        ("https://u.example.com/x", "not an address"),
        ("https://u.example.com/x", "u@example.com>\r\nBcc: inj@evil.test"),
    ])
    func unsubscribeLinks(url: String, mailbox: String) {
        #expect(throws: UnsubscribeLinks.Problem.self) { try UnsubscribeLinks(baseURL: url, mailbox: mailbox, keyring: .rotated(nil, now: Date())) }
    }

    @Test("an unsubscribe URL from the environment is checked like the option")
    func unsubscribeFromEnvironment() throws {
        let binary = try NurtureCLI.path()
        let run = try ToolRun.run(
            "/usr/bin/env", ["NURTURE_UNSUBSCRIBE_URL=https://u.example.com/x\nBcc: inj@evil.test", binary, "render", "post-webinar", "recording"],
            in: PackageFolders.root)
        #expect(run.status == 64, "\(run.stderr)")
        #expect(run.stderr.contains("unsubscribe URL"), "\(run.stderr)")
        #expect(!run.stdout.contains("Bcc:"))
    }

    @Test("no header line leaves the renderer with CR, LF or NUL of its own, or over 998 octets", arguments: [
        "X-A: fine\nBcc: inj@evil.test", "X-A: fine\rBcc: inj@evil.test", "X-A: nul\u{0}", "X-A: " + String(repeating: "a", count: 1_000),
    ])
    func headerBlock(line: String) {
        #expect(throws: MessageRenderer.Failure.self) { try HeaderText.block(["From: <a@example.org>", line]) }
    }

    @Test("a header block of folded, proper lines passes")
    func goodHeaderBlock() throws {
        let bytes = try HeaderText.block(["Subject: a\r\n folded line", "To: <a@example.org>"])
        #expect(String(decoding: bytes, as: UTF8.self).hasSuffix("<a@example.org>\r\n\r\n"))
    }

    @Test("an address with an encoded-word is refused, since receivers decode it")
    func encodedWordAddress() {
        #expect(throws: MailAddress.Problem.self) { try MailAddress("=?utf-8?q?x?=@example.org") }
        #expect(throws: MailAddress.Problem.self) { try MailAddress("a@=?utf-8?q?example.org?=") }
    }

    // MARK: Size limits

    static func request(
        firstName: String = "Priya", body: String = "Hi {{first_name}},\n\nA note.\n", attributes: [String: String] = [:]
    ) throws -> MessageRequest {
        let rep = Rep(name: "Elena Marsh", email: "elena.marsh@example.com")
        return MessageRequest(
            template: EmailTemplate(name: "hostile/\(body.hashValue)", subject: "Hi {{first_name}}", body: body),
            lead: Lead(id: "L-1", email: "priya@example.org", attributes: attributes.merging(["first_name": firstName]) { $1 }), rep: rep, from: rep,
            key: "L-1|hostile|1", date: Date(timeIntervalSince1970: 1_772_528_400),
            unsubscribe: try UnsubscribeLinks(baseURL: "https://u.example.com/u", mailbox: "u@example.com", keyring: .rotated(nil, now: Date())), domain: "example.com")
    }

    @Test("a huge value makes no huge message: the header block and the message have limits")
    func messageSize() throws {
        #expect(throws: MessageRenderer.Failure.self) { try MessageRenderer.render(try Self.request(firstName: String(repeating: "A", count: 2_000_000))) }
        #expect(throws: MessageRenderer.Failure.self) { try MessageRenderer.render(try Self.request(firstName: String(repeating: "A", count: 40_000))) }
        let fine = try MessageRenderer.render(try Self.request(firstName: "Priya"))
        #expect(fine.bytes.count < 10_000)
    }

    @Test("a link target from a lead's data must be http, https or mailto")
    func linkTargetsFromData() throws {
        let body = "Hi {{first_name}},\n\nSee [your site]({{website}}).\n"
        for hostile in [
            "javascript:alert(document.cookie)", " JaVa\tScRiPt:alert(1)", "data:text/html,<script>x</script>", "vbscript:x",
            "\u{01}javascript:x", "java\r\nscript:x", "JAVASCRIPT:x",
        ] {
            #expect(throws: MessageRenderer.Failure.self, "\(hostile)") {
                try MessageRenderer.render(try Self.request(body: body, attributes: ["website": hostile]))
            }
        }
        let fine = try MessageRenderer.render(try Self.request(body: body, attributes: ["website": "https://kestrel.example.com/about"]))
        #expect(fine.html.contains("href=\"https://kestrel.example.com/about\""), "\(fine.html)")
        // No scheme before the first `/`, `?` or `#`: a relative address, sent as it is.
        let relative = try MessageRenderer.render(try Self.request(body: body, attributes: ["website": "/about?at=10:30"]))
        #expect(relative.html.contains("href=\"/about?at=10:30\""), "\(relative.html)")
    }

    @Test("a value placed inside a link's address is percent-encoded, and stays one parameter")
    func valuesInURLsAreEncoded() throws {
        let body = "Hi {{first_name}},\n\nSee [pricing](https://example.com/p?c={{company}}&r={{rep.email}}).\n"
        let email = try MessageRenderer.render(try Self.request(body: body, attributes: ["company": "A&B Co=x\"><b>"]))
        #expect(email.html.contains("href=\"https://example.com/p?c=A%26B%20Co%3Dx%22%3E%3Cb%3E&r=elena.marsh@example.com\""), "\(email.html)")
    }

    @Test("validate warns of a field inside angle brackets, where the Markdown would depend on the data")
    func fieldsInAngleBrackets() {
        var diagnostics = Diagnostics()
        TemplateLoader.warnOfFieldsInAngleBrackets("---\nsubject: x\n---\nWrite to <{{rep.email}}>.\n", file: "t.md", into: &diagnostics)
        #expect(diagnostics.all.map { "\($0.severity):\($0.line):\($0.column)" } == ["warning:4:10"])
    }

    @Test("a row of thirty thousand fields is refused without keeping them, and the next row is read")
    func rowWidth() {
        var reader = CSVReader(text: "a,b\n" + String(repeating: ",", count: 30_000) + "\nc,d\n")
        var items: [CSVReader.Item] = []
        while let item = reader.next() { items.append(item) }
        #expect(items.count == 3)
        guard items.count == 3 else { return }
        if case let .problem(line, _, message) = items[1] {
            #expect(line == 2)
            #expect(message == "more than \(CSVReader.maxFields) fields in a row; row skipped")
        } else {
            Issue.record("the wide row was returned: \(items[1])")
        }
        if case let .record(record) = items[2] { #expect(record.fields.map(\.value) == ["c", "d"] && record.line == 3) }
    }

    // MARK: Silent loss and wrong success

    @Test("a field over the limit costs its own row only; the import says so and fails")
    func longFieldKeepsTheRest() throws {
        let folder = try Self.folder()
        defer { TemporaryFolder.remove(folder) }
        var text = "id,email,notes\nBIG,big@example.org,\"" + String(repeating: "x", count: 1 << 20) + "\"\n"
        for number in 0..<1_000 { text += "L-\(number),l\(number)@example.org,fine\n" }
        let csv = try TemporaryFolder.write(text, to: "leads.csv", in: folder)
        let run = try NurtureCLI.run(["leads", "import", csv, "--db", folder.appendingPathComponent("db.sqlite").path])
        #expect(run.stdout == "1,000 leads read: 1,000 new, 0 updated; 1 row skipped\n", "\(run.stdout)")
        #expect(run.stderrLines == ["\(csv):2:21: error: a field longer than 64 KiB; row skipped"], "\(run.stderr)")
        #expect(run.status == 1, "a refused row fails the import")
    }

    @Test("a file with carriage returns alone as line ends is refused, not read as nothing")
    func carriageReturnLineEnds() throws {
        let folder = try Self.folder()
        defer { TemporaryFolder.remove(folder) }
        let csv = try TemporaryFolder.write("id,email\rI-1,a@example.org\rI-2,b@example.org\r", to: "mac.csv", in: folder)
        let run = try NurtureCLI.run(["leads", "import", csv, "--db", folder.appendingPathComponent("db.sqlite").path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("\(csv):1:9: error: the line ends are carriage returns alone"), "\(run.stderr)")
    }

    @Test("event rows after a field over several lines are reported at their real line and column")
    func eventLinesAfterMultilineField() throws {
        let text = "at,type,category\n2026-03-03T10:12:00Z,email_open,\"two\nlines\"\n2026-03-03T10:13:00Z,visit,x\n"
        let (_, diagnostics) = EventLog.parseCSV(text, file: "events.csv", acceptingOutcomes: false, acceptingActions: false)
        #expect(diagnostics.errors.map { "\($0.line):\($0.column)" } == ["4:22"], "\(diagnostics.errors)")
    }

    @Test("writing to a full device fails the command instead of reporting success")
    func writeErrors() throws {
        let out = try NurtureCLI.run(["simulate", "post-webinar", "--prospects", "10", "--days", "5", "--out", "/dev/full"])
        #expect(out.status != 0, "\(out.stderr)")
        #expect(!out.stderr.contains("wrote /dev/full"))
        let binary = try NurtureCLI.path()
        let piped = try ToolRun.run("/bin/sh", ["-c", "'\(binary)' simulate post-webinar --prospects 10 --days 5 > /dev/full"], in: PackageFolders.root)
        #expect(piped.status == 74, "\(piped.stderr)")
        #expect(piped.stderr.contains("cannot write to standard output"))
    }

    @Test("a damaged store is found before anything is sent from it")
    func damagedStore() throws {
        let folder = try Self.folder()
        defer { TemporaryFolder.remove(folder) }
        let db = folder.appendingPathComponent("db.sqlite").path
        do {
            let store = try SQLiteStore(path: db)
            _ = try store.upsert((0..<3_000).map { Lead(id: "L-\($0)", email: "l\($0)@example.org", attributes: ["notes": "n\($0)"]) })
            try store.checkIntegrity()
        }
        // Pages past the schema overwritten, as a bad disk or a torn copy would.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: db))
        let size = try handle.seekToEnd()
        for offset in stride(from: UInt64(4096 * 4), to: size, by: 4096 * 3) {
            try handle.seek(toOffset: offset + 100)
            try handle.write(contentsOf: Data(repeating: 0xA5, count: 900))
        }
        try handle.close()
        #expect(throws: (any Error).self) { try SQLiteStore(path: db).checkIntegrity() }
        let run = try NurtureCLI.run(["run", "--relay", "smtp://127.0.0.1:9", "--db", db])
        #expect(run.status != 0 && !run.crashed, "\(run.stderr)")
    }

    @Test("a command that only reads never creates or migrates a store")
    func readOnlyCommands() throws {
        let folder = try Self.folder()
        defer { TemporaryFolder.remove(folder) }
        let empty = folder.appendingPathComponent("empty.sqlite").path
        _ = FileManager.default.createFile(atPath: empty, contents: nil)
        for command in [["status"], ["leads", "show", "L-1"], ["handoffs", "list"], ["request", "list"], ["sla"]] {
            let run = try NurtureCLI.run(command + ["--db", empty])
            #expect(run.status != 0, "\(command)")
            #expect(try FileManager.default.attributesOfItem(atPath: empty)[.size] as? Int == 0, "\(command) changed the file")
        }
        // A store its reader may not write to is still read.
        let db = folder.appendingPathComponent("db.sqlite").path
        _ = try SQLiteStore(path: db).upsert([Lead(id: "L-1", email: "a@example.org")])
        try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: db)
        let status = try NurtureCLI.run(["status", "--db", db])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("leads          1"))
    }

    @Test("an unknown stage in a lead table is refused, naming the known ones; the other rows are kept")
    func unknownStage() throws {
        let folder = try Self.folder()
        defer { TemporaryFolder.remove(folder) }
        let csv = try TemporaryFolder.write("id,email,stage\nI-1,a@example.org,leed\nI-2,b@example.org,lead\n", to: "leads.csv", in: folder)
        let db = folder.appendingPathComponent("db.sqlite").path
        let run = try NurtureCLI.run(["leads", "import", csv, "--db", db])
        #expect(run.status == 1)
        #expect(run.stdout.hasPrefix("1 lead read: 1 new"), "\(run.stdout)")
        #expect(run.stderr.contains("\(csv):2:19: error: unknown stage 'leed'; the lifecycle's stages are subscriber, lead, mql"), "\(run.stderr)")
    }

    @Test("events dated far from now are refused with the reason", arguments: ["99999-01-01T00:00:00Z", "0026-03-03T10:12:00Z", "2099-01-01T00:00:00Z"])
    func eventTimes(at: String) {
        let (entries, diagnostics) = EventLog.parseCSV("at,type\n\(at),email_open\n", file: "e.csv", acceptingOutcomes: false, acceptingActions: false)
        #expect(entries.isEmpty)
        #expect(diagnostics.errors.count == 1)
        #expect(diagnostics.errors.first?.message.contains("is outside the times an event can have") == true, "\(diagnostics.errors)")
    }

    static func shippedDefinitions() throws -> DefinitionSet {
        try #require(DefinitionLoader.load(directory: PackageFolders.sequences.path).definitions)
    }

    /// A lead the shipped post-webinar sequence takes, fit points included (company size).
    static let webinarLead = Lead(
        id: "L-1", email: "a@example.org", timeZone: TimeZone(identifier: "America/New_York"),
        owner: Rep(name: "Jordan Blake", email: "jordan.blake@example.com", title: "Account Executive", phone: "+1 212 555 0100"),
        stage: "lead", attributes: ["first_name": "Ana", "company": "Kestrel", "company_size": "850", "webinar_title": "Forecasting"])

    @Test("leads show gives the score as the engine computes it, fit included, with its parts")
    func shownScore() throws {
        let engine = Engine(try Self.shippedDefinitions())
        let lead = Self.webinarLead
        let now = Date()
        var state = engine.start(lead, at: now.addingTimeInterval(-3_600))
        _ = engine.step(&state, lead: lead, input: .event(EngagementEvent(.pageVisit, category: "pricing")), at: now.addingTimeInterval(-1_800))
        let folder = try Self.folder()
        defer { TemporaryFolder.remove(folder) }
        let db = folder.appendingPathComponent("db.sqlite").path
        let store = try SQLiteStore(path: db)
        _ = try store.upsert([lead])
        try store.commit([LeadUpdate(leadID: lead.id, state: state, processed: [], sends: [], handOffs: [], suppression: nil, audit: [])], now: now)
        let facts = engine.facts(state, lead: lead, at: now)
        #expect(facts.fitPoints > 0 && facts.engagement > 0, "the lead has both parts: \(facts)")

        let run = try NurtureCLI.run(["leads", "show", lead.id, "--db", db])
        #expect(run.status == 0, "\(run.stderr)")
        let shown = try #require(try JSONSerialization.jsonObject(with: run.stdoutData) as? [String: Any])
        let shownState = try #require(shown["state"] as? [String: Any])
        let score = try #require(shownState["score"] as? Double)
        #expect(abs(score - facts.score) < 0.01, "shown \(score), engine \(facts.score)")
        #expect(abs((shownState["fitPoints"] as? Double ?? -1) - facts.fitPoints) < 0.001)
        #expect(abs((shownState["engagementPoints"] as? Double ?? -1) - facts.engagement) < 0.01)
    }

    @Test("a send the relay never accepted stops counting toward the frequency cap")
    func undeliveredSendsLeaveTheCap() throws {
        let engine = Engine(try Self.shippedDefinitions())
        let lead = Self.webinarLead
        var now = try #require(Timestamp.parse("2026-03-02T15:00:00Z"))
        var state = engine.start(lead, at: now)
        var effects = engine.step(&state, lead: lead, input: .enroll(sequence: "post-webinar"), at: now)
        func firstSend() -> Send? { effects.lazy.compactMap { if case let .send(send) = $0 { send } else { nil } }.first }
        for _ in 0..<(14 * 24) where firstSend() == nil {
            now.addTimeInterval(3600)
            effects = engine.step(&state, lead: lead, input: .timePassed, at: now)
        }
        let send = try #require(firstSend(), "the sequence sends within two weeks")
        #expect(state.recentSends == [send.at])

        // The relay refuses it until the retries give up: the store tells the engine.
        let folder = try Self.folder()
        defer { TemporaryFolder.remove(folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("db.sqlite").path)
        _ = try store.upsert([lead])
        let queued = QueuedSend(send: send, leadID: lead.id)
        try store.commit(
            [LeadUpdate(leadID: lead.id, state: state, processed: [], sends: [queued], handOffs: [], suppression: nil, audit: [])], now: now)
        let later = now.addingTimeInterval(3 * 86_400)
        try store.record(.failed(code: 451, text: "gave up after 9 attempts: try later", suppress: false), for: queued.key, now: later)
        let claimed = try #require(try store.claimDueLeads(now: later, limit: 10, leaseUntil: later.addingTimeInterval(60)).first)
        let input = try #require(claimed.inbox.first?.input)
        _ = engine.step(&state, lead: lead, input: input, at: later)
        // (The pass also sends the next step, which is due by then: that one counts.)
        #expect(!state.recentSends.contains(send.at), "\(input): \(state.recentSends)")
    }

    // MARK: Secrets and files

    @Test("a store, its WAL and its shared memory are private to their owner")
    func storePermissions() throws {
        let folder = try Self.folder()
        defer { TemporaryFolder.remove(folder) }
        let db = folder.appendingPathComponent("db.sqlite").path
        let store = try SQLiteStore(path: db)
        _ = try store.upsert([Lead(id: "L-1", email: "a@example.org")])
        for path in [db, db + "-wal", db + "-shm"] {
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int, "\(path)")
            #expect(mode & 0o077 == 0, "\(path) is \(String(mode, radix: 8))")
        }
    }

    @Test("a credentials file others can read is refused; the password is taken as written")
    func credentialsFile() throws {
        let folder = try Self.folder()
        defer { TemporaryFolder.remove(folder) }
        let path = try TemporaryFolder.write("relay-user\n  pass with spaces  \n", to: "credentials", in: folder)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: RelayConfiguration.Failure.self) { try RelayConfiguration.credentials(environment: [:], file: path) }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let credentials = try #require(try RelayConfiguration.credentials(environment: [:], file: path))
        #expect(credentials.username == "relay-user")
        #expect(credentials.password == "  pass with spaces  ")
    }

    @Test("a password is never sent in clear off loopback without a second, explicit choice")
    func plaintextAuth() throws {
        let login = RelayConfiguration.Credentials(username: "u", password: "p")
        #expect(throws: RelayConfiguration.Failure.self) {
            try RelayConfiguration(url: "smtp://relay.example.com:25", credentials: login, allowPlaintext: true)
        }
        let allowed = try RelayConfiguration(url: "smtp://relay.example.com:25", credentials: login, allowPlaintext: true, allowPlaintextAuth: true)
        #expect(allowed.sendsPasswordInClear)
        #expect(try !RelayConfiguration(url: "smtp://127.0.0.1:25", credentials: login).sendsPasswordInClear)
    }

    @Test("a password in a relay URL is never repeated", arguments: ["smtp://user:hunter2@relay.example.com", "smtp://user:hunter2@", "smtp://user:hunter2@relay.example.com/x"])
    func secretInRelayURL(url: String) throws {
        do {
            _ = try RelayConfiguration(url: url)
            Issue.record("\(url) was accepted")
        } catch {
            #expect(!error.description.contains("hunter2"), "\(error)")
        }
        let run = try NurtureCLI.run(["send-test", "post-webinar", "recording", "--to", "a@example.org", "--relay", url])
        #expect(run.status != 0)
        #expect(!run.stderr.contains("hunter2") && !run.stdout.contains("hunter2"), "\(run.stderr)")
    }

    @Test("control characters from input are escaped in every message that quotes it")
    func controlCharacters() throws {
        let folder = try Self.folder()
        defer { TemporaryFolder.remove(folder) }
        let csv = try TemporaryFolder.write(
            "id,email,owner_email\nI-1,a@example.org,\"x\(Self.escape)]0;PWNED\r\nBcc: y@example.org\"\n", to: "leads.csv", in: folder)
        let imported = try NurtureCLI.run(["leads", "import", csv, "--db", folder.appendingPathComponent("db.sqlite").path])
        #expect(imported.status == 1)
        #expect(!imported.stderr.contains(Self.escape) && !imported.stderr.contains("\r"), "\(imported.stderr)")
        #expect(imported.stderrLines.count == 1, "one diagnostic, one line: \(imported.stderr)")

        for arguments in [["simulate", "x\(Self.escape)[2J"], ["simulate", "post-webinar", "--format", "\(Self.escape)]0;PWNED"]] {
            let run = try NurtureCLI.run(arguments)
            #expect(run.status != 0)
            #expect(!run.stderr.contains(Self.escape), "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains("\\u{1b}"), "\(run.stderr)")
        }
        let diagnostic = Diagnostic(.error, file: "f.csv", line: 2, column: 3, message: "'a\r\nb\u{1b}[2J'")
        #expect(diagnostic.description == "f.csv:2:3: error: 'a\\u{d}\\u{a}b\\u{1b}[2J'")
    }
}
