import Foundation
import GRDB
import Logging
import NurtureCore
import NurtureDefinitions
import NurtureMail
import NurtureScheduler
import NurtureSMTP
import NurtureStore
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Helpers for the scheduler tests: a virtual clock, real SMTP servers on loopback, the built
// `nurture` binary, scratch folders and definitions. The server helpers are adapted from
// Tests/NurtureSMTPTests/Servers.swift (copied, not shared, so each target stands alone).

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

// MARK: - Where things are

enum TestEnvironment {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let shippedSequences = packageRoot.appendingPathComponent("sequences").resolvingSymlinksInPath()
    static let captureScript = packageRoot.appendingPathComponent("Tests/Servers/capture_smtp.py")

    /// Debian's Python, which has python3-aiosmtpd (not a pyenv `python3` that may be first on PATH).
    static let python = "/usr/bin/python3"
    static let smtpSink: String = ["/usr/sbin/smtp-sink", "/usr/bin/smtp-sink", "/usr/local/sbin/smtp-sink"]
        .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/sbin/smtp-sink"

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"]?.lowercased() == "true" }

    static let hasAiosmtpd: Bool = {
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        return (try? runTool(python, ["-c", "import aiosmtpd.controller"]).status) == 0
    }()

    static var hasSMTPSink: Bool { FileManager.default.isExecutableFile(atPath: smtpSink) }

    /// Tests needing a server run when it is installed, and always under CI (where a missing one fails).
    static var runCaptureTests: Bool { isCI || hasAiosmtpd }
    static var runSinkTests: Bool { isCI || hasSMTPSink }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The `nurture` executable built with the tests: beside the test bundle, else `.build/debug`.
    static let nurture: URL? = {
        var folders: [URL] = []
        if let executable = Bundle.main.executableURL { folders.append(executable.deletingLastPathComponent()) }
        folders.append(Bundle.main.bundleURL)
        folders.append(Bundle.main.bundleURL.deletingLastPathComponent())
        if let first = CommandLine.arguments.first, first.contains("/") {
            folders.append(URL(fileURLWithPath: first).deletingLastPathComponent())
        }
        folders.append(packageRoot.appendingPathComponent(".build/debug"))
        return folders.map { $0.appendingPathComponent("nurture") }.first { candidate in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory) && !isDirectory.boolValue
                && FileManager.default.isExecutableFile(atPath: candidate.path)
        }
    }()

    static func nurtureBinary() throws -> String {
        guard let nurture else {
            throw Failure(description: "the nurture executable was not found next to the tests or in .build/debug; build it first")
        }
        return nurture.path
    }

    /// Runs `nurture` to completion.
    static func nurture(_ arguments: [String], in directory: URL? = nil) throws -> ToolRun {
        try runTool(try nurtureBinary(), arguments, in: directory)
    }

    // MARK: Running tools

    struct ToolRun: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
        var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    }

    /// Runs a program to completion, capturing its output through files (no pipe can fill up).
    static func runTool(_ executable: String, _ arguments: [String], in directory: URL? = nil) throws -> ToolRun {
        let scratch = try makeFolder("nurture-tool")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("out"), errURL = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return ToolRun(
            status: process.terminationStatus, stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }

    static func makeFolder(_ prefix: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    // MARK: Definitions

    static let shippedDefinitions: Result<DefinitionSet, Failure> = loadDefinitions(shippedSequences.path)

    static func loadDefinitions(_ folder: String) -> Result<DefinitionSet, Failure> {
        let loaded = DefinitionLoader.load(directory: folder)
        guard let definitions = loaded.definitions, !loaded.diagnostics.hasErrors else {
            return .failure(Failure(description: "the definitions in \(folder) do not load:\n"
                + loaded.diagnostics.sorted.map(\.description).joined(separator: "\n")))
        }
        return .success(definitions)
    }

    /// A definitions folder in `folder`: the shipped one (the lifecycle names its sequences) plus
    /// the fixtures' `blast` and `morning` sequences and their templates.
    static func makeDefinitions(in folder: URL) throws -> URL {
        let definitions = folder.appendingPathComponent("definitions")
        try copyFiles(of: shippedSequences, to: definitions)
        for name in ["blast.yml", "morning.yml"] {
            try Data(contentsOf: fixtures.appendingPathComponent(name)).write(to: definitions.appendingPathComponent(name))
        }
        try copyFiles(of: fixtures.appendingPathComponent("templates"), to: definitions.appendingPathComponent("templates"))
        return definitions
    }

    /// Copies the regular files under `source` as new files (never links back to the original).
    static func copyFiles(of source: URL, to destination: URL) throws {
        let fileManager = FileManager.default
        let source = source.resolvingSymlinksInPath()
        try fileManager.createDirectory(at: destination, withIntermediateDirectories: true)
        let walker = fileManager.enumerator(atPath: source.path)
        while let relative = walker?.nextObject() as? String {
            let from = source.appendingPathComponent(relative).resolvingSymlinksInPath()
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: from.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let to = destination.appendingPathComponent(relative)
            try fileManager.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contentsOf: from).write(to: to)
        }
    }

    // MARK: Dates

    /// A UTC wall-clock instant: `utc(2026, 3, 2, 9)` is Monday 2 March 2026, 09:00 UTC.
    static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: date)
    }

    /// An RFC 5322 `Date:` header value, as the renderer writes it.
    static func parseMailDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.date(from: text.trimmingCharacters(in: .whitespaces))
    }

    /// The weekday (1 = Sunday ... 7 = Saturday) and the seconds since local midnight of `date` in `zone`.
    static func localTime(_ date: Date, in zone: TimeZone) -> (weekday: Int, seconds: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.weekday, .hour, .minute, .second], from: date)
        return (parts.weekday!, parts.hour! * 3600 + parts.minute! * 60 + parts.second!)
    }
}

// MARK: - Ports

enum Ports {
    private static let handedOut = Mutex(Set<Int>())

    /// A loopback TCP port nothing listens on right now, never the same one twice in this process.
    static func free() throws -> Int {
        for _ in 0..<50 {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { throw TestEnvironment.Failure(description: "socket() failed: errno \(errno)") }
            defer { close(descriptor) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = 0
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                    bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
                }
            }
            guard bound else { throw TestEnvironment.Failure(description: "bind() to 127.0.0.1:0 failed: errno \(errno)") }
            let port = Int(UInt16(bigEndian: address.sin_port))
            if handedOut.withLock({ $0.insert(port).inserted }) { return port }
        }
        throw TestEnvironment.Failure(description: "no free loopback port")
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func accepts(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

// MARK: - Child processes

/// A process the test owns: started with its output in files, signalled, waited for with a
/// timeout, and always killed and reaped when the test is done with it (`stop()`, or `deinit`).
final class ChildProcess: @unchecked Sendable {
    let name: String
    private let process = Process()
    private let logFolder: URL
    /// Kept open so a child that watches its standard input dies with the test process.
    private let stdinPipe = Pipe()
    private let lock = NSLock()
    private var reaped = false

    var stdoutURL: URL { logFolder.appendingPathComponent("stdout") }
    var stderrURL: URL { logFolder.appendingPathComponent("stderr") }

    init(name: String, executable: String, arguments: [String], environment: [String: String]? = nil) throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw TestEnvironment.Failure(description: "\(name): \(executable) is missing; run scripts/install-system-packages")
        }
        self.name = name
        logFolder = try TestEnvironment.makeFolder("nurture-child")
        _ = FileManager.default.createFile(atPath: logFolder.appendingPathComponent("stdout").path, contents: nil)
        _ = FileManager.default.createFile(atPath: logFolder.appendingPathComponent("stderr").path, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardInput = stdinPipe
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        do {
            try process.run()
        } catch {
            throw TestEnvironment.Failure(description: "\(name) did not start: \(error)")
        }
    }

    deinit { stop() }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var output: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var errors: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    func signal(_ number: Int32) {
        if process.isRunning { kill(process.processIdentifier, number) }
    }

    /// Waits for the process to exit; false when it is still running after `timeout`.
    @discardableResult
    func wait(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.01) }
        guard !process.isRunning else { return false }
        process.waitUntilExit()
        return true
    }

    /// How it ended: its exit status, or the signal that killed it.
    var termination: (status: Int32, signalled: Bool) {
        (process.terminationStatus, process.terminationReason == .uncaughtSignal)
    }

    /// Waits until `ready()` holds, failing if the process exits or `timeout` passes.
    func wait(timeout: Duration = .seconds(15), until ready: () -> Bool) throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if ready() { return }
            if !process.isRunning {
                throw TestEnvironment.Failure(
                    description: "\(name) exited with status \(process.terminationStatus) before it was ready: \(errors)")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        stop()
        throw TestEnvironment.Failure(description: "\(name) was not ready within \(timeout): \(output) \(errors)")
    }

    /// Stops the process (SIGTERM, then SIGKILL if it lingers), reaps it and removes its logs.
    func stop(grace: Duration = .seconds(3)) {
        lock.lock()
        defer { lock.unlock() }
        guard !reaped else { return }
        reaped = true
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = ContinuousClock.now + grace
            while process.isRunning, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.01) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        try? stdinPipe.fileHandleForWriting.close()
        try? FileManager.default.removeItem(at: logFolder)
    }
}

// MARK: - SMTP servers

/// The capturing server (`Tests/Servers/capture_smtp.py`): every accepted message lands in a
/// folder, byte for byte, with its envelope beside it. It may be told which port to listen on (a
/// relay that comes back after an outage).
final class CaptureServer: Sendable {
    let port: Int
    let folder: URL
    private let server: ChildProcess

    var url: String { "smtp://127.0.0.1:\(port)" }

    init(port: Int? = nil, authRequired: Bool = false) throws {
        guard TestEnvironment.hasAiosmtpd else {
            throw TestEnvironment.Failure(
                description: "\(TestEnvironment.python) cannot import aiosmtpd; run scripts/install-system-packages")
        }
        self.port = try port ?? Ports.free()
        folder = try TestEnvironment.makeFolder("nurture-capture")
        var arguments = [TestEnvironment.captureScript.path, String(self.port), folder.path, "--exit-on-stdin-eof"]
        if authRequired { arguments.append("--auth-required") }
        server = try ChildProcess(name: "capture server", executable: TestEnvironment.python, arguments: arguments)
        let server = server, expected = "READY 127.0.0.1 \(self.port)"
        try server.wait { server.output.contains(expected) }
    }

    deinit { stop() }

    func stop() {
        server.stop()
        try? FileManager.default.removeItem(at: folder)
    }

    var pid: Int32 { server.pid }

    /// How many messages have arrived so far.
    func count() -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".eml") }.count
    }

    /// The messages received so far, in order of arrival.
    func messages() throws -> [CapturedMessage] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".eml") }.sorted()
        return try names.map { name in
            let file = folder.appendingPathComponent(name)
            let side = file.deletingPathExtension().appendingPathExtension("json")
            return CapturedMessage(
                file: file, bytes: try Data(contentsOf: file),
                envelope: try JSONDecoder().decode(CapturedMessage.Envelope.self, from: Data(contentsOf: side)))
        }
    }
}

struct CapturedMessage: Sendable {
    struct Envelope: Decodable, Sendable {
        var mail_from: String
        var rcpt_tos: [String]
    }

    var file: URL
    var bytes: Data
    var envelope: Envelope

    /// The header fields, unfolded, in order.
    var headers: [(name: String, value: String)] {
        let text = String(decoding: bytes, as: UTF8.self)
        let head = text.components(separatedBy: "\r\n\r\n").first ?? ""
        var fields: [(name: String, value: String)] = []
        for line in head.components(separatedBy: "\r\n") {
            if line.first == " " || line.first == "\t", !fields.isEmpty {
                fields[fields.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                fields.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
        }
        return fields
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    var messageID: String? { header("Message-ID") }
    var date: Date? { header("Date").flatMap(TestEnvironment.parseMailDate) }
    var recipient: String? { envelope.rcpt_tos.first }
}

/// Postfix's `smtp-sink`, told to misbehave: `-f rcpt -B "550 ..."`.
final class SMTPSink: Sendable {
    let port: Int
    private let server: ChildProcess

    var url: String { "smtp://127.0.0.1:\(port)" }

    init(_ options: [String]) throws {
        guard TestEnvironment.hasSMTPSink else {
            throw TestEnvironment.Failure(description: "smtp-sink is missing; run scripts/install-system-packages")
        }
        port = try Ports.free()
        // smtp-sink refuses to run as root without -u; 100 is the listen backlog.
        server = try ChildProcess(
            name: "smtp-sink", executable: TestEnvironment.smtpSink,
            arguments: ["-u", "nobody"] + options + ["127.0.0.1:\(port)", "100"])
        let port = port
        try server.wait { Ports.accepts(port) }
    }

    deinit { stop() }

    func stop() { server.stop() }
}

// MARK: - The store, read from the side

/// Reads a store's SQLite file directly, as an operator would: what `nurture status` summarises.
struct StoreFile {
    let path: String
    private let queue: DatabaseQueue

    init(_ path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        queue = try DatabaseQueue(path: path, configuration: configuration)
    }

    func rows(_ sql: String, _ arguments: StatementArguments = []) throws -> [Row] {
        try queue.read { try Row.fetchAll($0, sql: sql, arguments: arguments) }
    }

    func count(_ sql: String, _ arguments: StatementArguments = []) throws -> Int {
        try queue.read { try Int.fetchOne($0, sql: sql, arguments: arguments) ?? 0 }
    }

    func strings(_ sql: String, _ arguments: StatementArguments = []) throws -> [String] {
        try queue.read { try String.fetchAll($0, sql: sql, arguments: arguments) }
    }

    struct SendRow: Sendable {
        var key: String
        var leadID: String
        var sequence: String
        var step: String
        var status: String
        var attempts: Int
        var nextAttemptAt: Date
        var messageID: String?
        var lastCode: Int?
        var lastText: String?
        var finishedAt: Date?
    }

    func sends(_ condition: String = "1", _ arguments: StatementArguments = []) throws -> [SendRow] {
        try rows("SELECT * FROM send WHERE \(condition) ORDER BY due_at, key", arguments).map { row in
            SendRow(
                key: row["key"], leadID: row["lead_id"], sequence: row["sequence"], step: row["step"], status: row["status"],
                attempts: row["attempts"], nextAttemptAt: Date(timeIntervalSince1970: row["next_attempt_at"]),
                messageID: row["message_id"], lastCode: row["last_code"], lastText: row["last_text"],
                finishedAt: (row["finished_at"] as Double?).map { Date(timeIntervalSince1970: $0) })
        }
    }

    func audit(lead: String) throws -> [String] {
        try strings("SELECT entry FROM audit WHERE lead_id = ? ORDER BY id", [lead])
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
        self.folder = folder
        self.definitions = definitions
        dbPath = folder.appendingPathComponent("nurture.sqlite").path
        store = try SQLiteStore(path: dbPath)
        clock = VirtualClock(start)
        var configuration = SchedulerConfiguration(
            unsubscribe: UnsubscribeLinks(baseURL: "https://nurture.example.com/unsubscribe", mailbox: "unsubscribe@example.com"),
            messageDomain: "nurture.test")
        configure(&configuration)
        let sender = try SMTPSender(relay: RelayConfiguration(
            url: relay, connections: connections, connectTimeout: .seconds(5), transferTimeout: .seconds(20)))
        // Quiet: the scheduler's pass log would drown the test output.
        scheduler = Scheduler(
            store: store, definitions: definitions, sender: sender, clock: clock, configuration: configuration,
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
