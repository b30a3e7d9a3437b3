import Foundation
import GRDB
import Logging
import NurtureCore
import NurtureDefinitions
import NurtureMail
import NurtureTokens
import NurtureScheduler
import NurtureSMTP
import NurtureStore
import NurtureTestSupport
import Synchronization
import Testing

// Helpers for the scheduler tests: a virtual clock, definitions with the fixtures' sequences,
// dates, the store read from the side, and a scheduler on a virtual clock. Servers, ports, child
// processes, scratch folders and the built `nurture` binary come from NurtureTestSupport.

// MARK: - The virtual clock

/// A ``SchedulerClock`` whose time moves only when the test moves it. `sleep(until:)` jumps to the
/// date at once, so `Scheduler.run()` can also be driven through weeks in milliseconds; `onSleep`
/// lets a test decide when such a run should stop.
final class VirtualClock: SchedulerClock {
    private let current: Mutex<Date>
    private let sleepHook = Mutex<(@Sendable (Date) -> Void)?>(nil)

    init(_ start: Date) { current = Mutex(start) }

    func now() -> Date { current.withLock { $0 } }

    /// Moves the clock to `date`, never backwards.
    func advance(to date: Date) { current.withLock { $0 = max($0, date) } }

    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }

    /// Called with the new time whenever the scheduler sleeps.
    func onSleep(_ hook: @escaping @Sendable (Date) -> Void) { sleepHook.withLock { $0 = hook } }

    func sleep(until date: Date) async {
        advance(to: date)
        let hook = sleepHook.withLock { $0 }
        hook?(now())
        await Task.yield()
    }
}

// MARK: - Definitions and dates

enum TestEnvironment {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    // MARK: Definitions

    static let shippedDefinitions: Result<DefinitionSet, Failure> = loadDefinitions(PackageFolders.sequences.path)

    static func loadDefinitions(_ folder: String) -> Result<DefinitionSet, Failure> {
        let loaded = DefinitionLoader.load(directory: folder)
        guard let definitions = loaded.definitions, !loaded.diagnostics.hasErrors else {
            return .failure(Failure(description: "the definitions in \(folder) do not load:\n"
                + loaded.diagnostics.sorted.map(\.description).joined(separator: "\n")))
        }
        return .success(definitions)
    }

    /// A store in `folder` made through the command line as an operator would: the test
    /// definitions, two leads (Ada and Alan, UTC) imported, and both enrolled in `blast`.
    /// Returns the definitions folder and the store's path.
    static func enrolledStore(in folder: URL) throws -> (definitions: String, db: String) {
        let definitions = try makeDefinitions(in: folder).path
        let db = folder.appendingPathComponent("nurture.sqlite").path
        let leads = folder.appendingPathComponent("leads.csv")
        try "id,email,first_name,time_zone,stage\nA-1,a1@example.org,Ada,UTC,lead\nA-2,a2@example.org,Alan,UTC,lead\n"
            .write(to: leads, atomically: true, encoding: .utf8)
        let imported = try NurtureCLI.run(["leads", "import", leads.path, "--db", db])
        guard imported.status == 0 else { throw Failure(description: "leads import: \(imported.stderr)") }
        let enrolled = try NurtureCLI.run(["enroll", "blast", "--where", "stage == lead", "--db", db, "--definitions", definitions])
        guard enrolled.status == 0 else { throw Failure(description: "enroll: \(enrolled.stderr)") }
        return (definitions, db)
    }

    /// A definitions folder in `folder`: the shipped one (the lifecycle names its sequences) plus
    /// the fixtures' `blast` and `morning` sequences and their templates.
    static func makeDefinitions(in folder: URL) throws -> URL {
        let definitions = folder.appendingPathComponent("definitions")
        try TemporaryFolder.copyFiles(of: PackageFolders.sequences, to: definitions)
        for name in ["blast.yml", "morning.yml"] {
            try Data(contentsOf: fixtures.appendingPathComponent(name)).write(to: definitions.appendingPathComponent(name))
        }
        try TemporaryFolder.copyFiles(of: fixtures.appendingPathComponent("templates"), to: definitions.appendingPathComponent("templates"))
        return definitions
    }

    // MARK: Dates

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: date)
    }

    /// The weekday (1 = Sunday ... 7 = Saturday) and the seconds since local midnight of `date` in `zone`.
    static func localTime(_ date: Date, in zone: TimeZone) -> (weekday: Int, seconds: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.weekday, .hour, .minute, .second], from: date)
        return (parts.weekday!, parts.hour! * 3600 + parts.minute! * 60 + parts.second!)
    }
}

// MARK: - A scheduler on a virtual clock

/// A store in a scratch folder, a scheduler on it driven by a virtual clock, and the folder's cleanup.
struct VirtualRig {
    let folder: URL
    let dbPath: String
    let store: SQLiteStore
    let clock: VirtualClock
    let scheduler: Scheduler
    let definitions: DefinitionSet

    init(
        folder: URL, definitions: DefinitionSet, relay: String, start: Date, connections: Int = 2,
        configure: (inout SchedulerConfiguration) -> Void = { _ in }
    ) throws {
        let sender = try SMTPSender(relay: RelayConfiguration(
            url: relay, connections: connections, connectTimeout: .seconds(5), transferTimeout: .seconds(20)))
        try self.init(folder: folder, definitions: definitions, transport: sender, start: start, configure: configure)
    }

    /// A rig whose messages go to `transport`: a real relay's sender, or one in process for a test
    /// of the scheduler's own decisions.
    init(
        folder: URL, definitions: DefinitionSet, transport: any MailTransport, start: Date,
        configure: (inout SchedulerConfiguration) -> Void = { _ in }
    ) throws {
        self.folder = folder
        self.definitions = definitions
        dbPath = folder.appendingPathComponent("nurture.sqlite").path
        store = try SQLiteStore(path: dbPath)
        clock = VirtualClock(start)
        var configuration = SchedulerConfiguration(
            unsubscribe: try UnsubscribeLinks(baseURL: "https://nurture.example.com/unsubscribe", mailbox: "unsubscribe@example.com", keyring: .rotated(nil, now: Date())),
            messageDomain: "nurture.test")
        configure(&configuration)
        // Quiet: the scheduler's pass log would drown the test output.
        scheduler = Scheduler(
            store: store, definitions: definitions, sender: transport, clock: clock, configuration: configuration,
            logger: Logger(label: "nurture.scheduler.tests", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    func file() throws -> StoreFile { try StoreFile(dbPath) }

    /// Asks for `leads` to be enrolled in `sequence` now (as `nurture enroll` does).
    @discardableResult
    func enroll(_ leads: [String], in sequence: String, tag: String = "") throws -> Int {
        let now = clock.now()
        return try store.append(leads.map {
            InboxItem(id: "enroll|\(sequence)|\($0)|\(tag)\(now.timeIntervalSince1970)", leadID: $0, at: now, payload: .enroll(sequence: sequence))
        })
    }

    /// An event for a lead, happening now.
    @discardableResult
    func event(_ kind: EngagementEvent.Kind, lead: String, category: String? = nil, id: String? = nil) throws -> Int {
        let now = clock.now()
        return try store.append([InboxItem(
            id: id ?? "\(lead)|\(kind.rawValue)|\(category ?? "")|\(now.timeIntervalSince1970)", leadID: lead, at: now,
            payload: .event(kind: kind.rawValue, category: category, sequence: nil, step: nil))])
    }

    /// Passes at each instant something is due, up to `end` (or while `keepGoing` says so), moving
    /// the clock there first. `after` runs after every pass. Returns the summaries.
    @discardableResult
    func drive(
        until end: Date, maxPasses: Int = 5_000, after: (PassSummary) throws -> Void = { _ in }
    ) async throws -> [PassSummary] {
        var summaries: [PassSummary] = []
        while let due = try store.nextDue(), due <= end {
            clock.advance(to: due)
            let summary = try await scheduler.pass()
            summaries.append(summary)
            try after(summary)
            guard summaries.count < maxPasses else {
                throw TestEnvironment.Failure(description: "more than \(maxPasses) passes before \(end): the schedule does not settle")
            }
        }
        clock.advance(to: end)
        return summaries
    }
}
