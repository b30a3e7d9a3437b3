import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Real SMTP servers on loopback for the delivery tests: the capturing aiosmtpd server in
/// `Tests/Servers/capture_smtp.py` and Postfix's `smtp-sink`. Each test starts its own on a free
/// port and stops it when done (`stop()` in a `defer`, and again in `deinit`).
///
/// Outside CI a missing server program disables the tests that need it; under `CI=true` those
/// tests run and fail, so a CI image without the servers can never pass by skipping.
enum TestServers {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let scripts = packageRoot.appendingPathComponent("Tests/Servers")
    static let captureScript = scripts.appendingPathComponent("capture_smtp.py")
    static let checkScript = scripts.appendingPathComponent("check_mime.py")
    static let tetherScript = scripts.appendingPathComponent("tether.py")

    /// Debian's Python, which has python3-aiosmtpd (not a pyenv `python3` that may be first on PATH).
    static let python = "/usr/bin/python3"
    static let smtpSink: String = ["/usr/sbin/smtp-sink", "/usr/bin/smtp-sink", "/usr/local/sbin/smtp-sink"]
        .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/sbin/smtp-sink"

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"]?.lowercased() == "true" }

    /// Python with aiosmtpd importable.
    static let hasAiosmtpd: Bool = {
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        return (try? runTool(python, ["-c", "import aiosmtpd.controller"]).status) == 0
    }()

    static var hasSMTPSink: Bool { FileManager.default.isExecutableFile(atPath: smtpSink) }

    /// Whether tests needing the capture server should run: always under CI (and then fail if it
    /// is missing), otherwise only when it can work.
    static var runCaptureTests: Bool { isCI || hasAiosmtpd }
    static var runSinkTests: Bool { isCI || (hasSMTPSink && FileManager.default.isExecutableFile(atPath: python)) }

    struct Unavailable: Error, CustomStringConvertible {
        var description: String
    }

    // MARK: Ports

    private static let handedOut = LockedSet()

    /// A loopback TCP port nothing listens on right now (the kernel's pick for port 0), never the
    /// same one twice in this test process.
    static func freePort() throws -> Int {
        for _ in 0..<50 {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { throw Unavailable(description: "socket() failed: errno \(errno)") }
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
            guard bound else { throw Unavailable(description: "bind() to 127.0.0.1:0 failed: errno \(errno)") }
            let port = Int(UInt16(bigEndian: address.sin_port))
            if handedOut.insert(port) { return port }
        }
        throw Unavailable(description: "no free loopback port")
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func accepts(port: Int) -> Bool {
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

    // MARK: Running tools

    struct ToolRun: Sendable {
        var status: Int32
        var stdout: Data
        var stderr: String
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs a program to completion, capturing its output through files (no pipe can fill up).
    static func runTool(_ executable: String, _ arguments: [String], in directory: URL? = nil) throws -> ToolRun {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("nurture-tool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
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
            status: process.terminationStatus, stdout: (try? Data(contentsOf: outURL)) ?? Data(),
            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }

    static func makeFolder(_ prefix: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}

/// A set of ports behind a lock.
final class LockedSet: @unchecked Sendable {
    private let lock = NSLock()
    private var values = Set<Int>()

    func insert(_ value: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return values.insert(value).inserted
    }
}

/// A server process the test owns: started, waited for, and always stopped.
final class ServerProcess: @unchecked Sendable {
    let name: String
    let port: Int
    private let process = Process()
    private let logFolder: URL
    /// Kept open so a server that watches its standard input dies with the test process.
    private let stdinPipe = Pipe()
    private let lock = NSLock()
    private var stopped = false

    var stdoutURL: URL { logFolder.appendingPathComponent("stdout") }
    var stderrURL: URL { logFolder.appendingPathComponent("stderr") }

    init(name: String, executable: String, arguments: [String], port: Int) throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw TestServers.Unavailable(description: "\(name): \(executable) is missing; run scripts/install-system-packages")
        }
        self.name = name
        self.port = port
        logFolder = try TestServers.makeFolder("nurture-server-log")
        _ = FileManager.default.createFile(atPath: logFolder.appendingPathComponent("stdout").path, contents: nil)
        _ = FileManager.default.createFile(atPath: logFolder.appendingPathComponent("stderr").path, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = stdinPipe
        process.standardOutput = try FileHandle(forWritingTo: logFolder.appendingPathComponent("stdout"))
        process.standardError = try FileHandle(forWritingTo: logFolder.appendingPathComponent("stderr"))
        do {
            try process.run()
        } catch {
            throw TestServers.Unavailable(description: "\(name) did not start: \(error)")
        }
    }

    deinit { stop() }

    var output: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var errors: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Waits until `ready()` holds, failing if the process exits or `timeout` passes.
    func wait(timeout: Duration = .seconds(10), until ready: () -> Bool) throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if ready() { return }
            if !process.isRunning {
                throw TestServers.Unavailable(
                    description: "\(name) exited with status \(process.terminationStatus) before it was ready: \(errors)")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        stop()
        throw TestServers.Unavailable(description: "\(name) was not ready within \(timeout): \(output) \(errors)")
    }

    /// Stops the server and removes its logs: closes its standard input (the capture server and
    /// `tether.py` exit on that), then SIGTERM, then SIGKILL, each after a short wait.
    func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        try? stdinPipe.fileHandleForWriting.close()
        func exited(within timeout: Duration) -> Bool {
            let deadline = ContinuousClock.now + timeout
            while process.isRunning, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.005) }
            return !process.isRunning
        }
        if !exited(within: .seconds(2)) {
            process.terminate()
            if !exited(within: .seconds(1)) { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: logFolder)
    }
}

/// The capturing server (`Tests/Servers/capture_smtp.py`): every accepted message lands in a
/// folder, byte for byte, with its envelope beside it.
final class CaptureServer: Sendable {
    static let username = "nurture-test"
    static let password = "correct horse battery staple"

    let port: Int
    let folder: URL
    private let server: ServerProcess

    var url: String { "smtp://127.0.0.1:\(port)" }

    struct Envelope: Decodable, Sendable {
        var mail_from: String
        var rcpt_tos: [String]
        var authenticated_as: String?
    }

    struct Message: Sendable {
        var file: URL
        var bytes: [UInt8]
        var envelope: Envelope
    }

    init(authRequired: Bool = false) throws {
        guard TestServers.hasAiosmtpd else {
            throw TestServers.Unavailable(description: "\(TestServers.python) cannot import aiosmtpd; run scripts/install-system-packages")
        }
        port = try TestServers.freePort()
        folder = try TestServers.makeFolder("nurture-capture")
        var arguments = [TestServers.captureScript.path, String(port), folder.path, "--exit-on-stdin-eof"]
        if authRequired { arguments.append("--auth-required") }
        server = try ServerProcess(name: "capture server", executable: TestServers.python, arguments: arguments, port: port)
        let server = server, port = port
        try server.wait { server.output.contains("READY 127.0.0.1 \(port)") }
    }

    deinit { stop() }

    func stop() {
        server.stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// The messages received so far, in order of arrival.
    func messages() throws -> [Message] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".eml") }.sorted()
        return try names.map { name in
            let file = folder.appendingPathComponent(name)
            let side = file.deletingPathExtension().appendingPathExtension("json")
            return Message(
                file: file, bytes: Array(try Data(contentsOf: file)),
                envelope: try JSONDecoder().decode(Envelope.self, from: Data(contentsOf: side)))
        }
    }

    /// The EHLO/HELO greetings received: one per SMTP session.
    func sessions() -> Int {
        let log = (try? String(contentsOf: folder.appendingPathComponent("events.log"), encoding: .utf8)) ?? ""
        return log.split(separator: "\n").filter { $0.hasPrefix("EHLO") || $0.hasPrefix("HELO") }.count
    }
}

/// Postfix's `smtp-sink`, told to misbehave: `-Q connect`, `-r rcpt -b "451 ..."`, `-f rcpt -B "550 ..."`.
final class SMTPSink: Sendable {
    let port: Int
    private let server: ServerProcess

    var url: String { "smtp://127.0.0.1:\(port)" }

    init(_ options: [String]) throws {
        guard TestServers.hasSMTPSink else {
            throw TestServers.Unavailable(description: "smtp-sink is missing; run scripts/install-system-packages")
        }
        port = try TestServers.freePort()
        // smtp-sink refuses to run as root without -u; 100 is the listen backlog. It runs tethered
        // (Tests/Servers/tether.py), so that it dies with the test process even if that crashes.
        let command = [TestServers.smtpSink, "-u", "nobody"] + options + ["127.0.0.1:\(port)", "100"]
        guard FileManager.default.isExecutableFile(atPath: TestServers.python) else {
            throw TestServers.Unavailable(description: "\(TestServers.python) is missing; run scripts/install-system-packages")
        }
        server = try ServerProcess(
            name: "smtp-sink", executable: TestServers.python, arguments: [TestServers.tetherScript.path] + command, port: port)
        let port = port
        try server.wait { TestServers.accepts(port: port) }
    }

    deinit { stop() }

    func stop() { server.stop() }
}

/// `Tests/Servers/check_mime.py`: Python's strict MIME parser's view of a message.
struct MIMESummary: Decodable, Sendable {
    struct Mailbox: Decodable, Sendable, Equatable {
        var name: String
        var address: String
    }

    var subject: String
    var from: Mailbox?
    var to: Mailbox?
    var reply_to: Mailbox?
    var message_id: String
    var date: String
    var headers: [String]
    var header_lines: [String]
    var max_header_line: Int
    var header_line_lengths: [String: Int]
    var list_unsubscribe: [String]
    var text: String?
    var html: String?

    struct Refused: Error, CustomStringConvertible {
        var file: String
        var problems: String
        var description: String { "check_mime.py refused \(file):\n\(problems)" }
    }

    /// Checks one message file; throws with the script's complaints when it is refused.
    static func check(_ file: URL, replyTo: Bool? = nil) throws -> MIMESummary {
        var arguments = [TestServers.checkScript.path, file.path]
        if let replyTo { arguments.append(replyTo ? "--reply-to" : "--no-reply-to") }
        let run = try TestServers.runTool(TestServers.python, arguments)
        guard run.status == 0 else { throw Refused(file: file.lastPathComponent, problems: run.stderr) }
        return try JSONDecoder().decode(MIMESummary.self, from: run.stdout)
    }

    struct BatchEntry: Decodable, Sendable {
        var summary: MIMESummary?
        var problems: [String]
    }

    /// Checks many files in one run of the script: each file's summary, or its problems.
    static func checkAll(_ files: [URL]) throws -> [URL: BatchEntry] {
        guard !files.isEmpty else { return [:] }
        let run = try TestServers.runTool(TestServers.python, [TestServers.checkScript.path, "--batch"] + files.map(\.path))
        guard run.status == 0 else { throw Refused(file: "\(files.count) files", problems: run.stderr) }
        let byPath = try JSONDecoder().decode([String: BatchEntry].self, from: run.stdout)
        return Dictionary(uniqueKeysWithValues: files.map { ($0, byPath[$0.path] ?? BatchEntry(summary: nil, problems: ["not checked"])) })
    }

    /// Checks bytes by writing them to a scratch file first.
    static func check(bytes: [UInt8], replyTo: Bool? = nil) throws -> MIMESummary {
        let folder = try TestServers.makeFolder("nurture-mime")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("message.eml")
        try Data(bytes).write(to: file)
        return try check(file, replyTo: replyTo)
    }
}
