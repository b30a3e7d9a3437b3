import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A process the test owns, such as a server or a long-running `nurture run`: started with its
/// output in files, signalled, waited for with a timeout, and always stopped and reaped when the
/// test is done with it (`stop()`, or `deinit`), so none outlives its test.
public final class ChildProcess: @unchecked Sendable {
    public let name: String
    private let process = Process()
    private let logFolder: URL
    /// Kept open so a child that watches its standard input dies with the test process.
    private let stdinPipe = Pipe()
    private let lock = NSLock()
    private var reaped = false

    private var stdoutURL: URL { logFolder.appendingPathComponent("stdout") }
    private var stderrURL: URL { logFolder.appendingPathComponent("stderr") }

    public init(name: String, executable: String, arguments: [String], environment: [String: String]? = nil) throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw SetupFailure("\(name): \(executable) is missing; run scripts/install-system-packages")
        }
        self.name = name
        logFolder = try TemporaryFolder.make("nurture-child")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardInput = stdinPipe
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        do {
            try process.run()
        } catch {
            throw SetupFailure("\(name) did not start: \(error)")
        }
    }

    deinit { stop() }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }
    public var output: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    public var errors: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    public func signal(_ number: Int32) {
        if process.isRunning { kill(process.processIdentifier, number) }
    }

    /// Waits for the process to exit; false when it is still running after `timeout`.
    @discardableResult
    public func wait(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.01) }
        guard !process.isRunning else { return false }
        process.waitUntilExit()
        return true
    }

    /// How it ended: its exit status, or the signal that killed it; `running` when it has not
    /// ended yet (Foundation traps when asked for the status of a running process, which would
    /// end the whole test run and leave the children it started running for ever).
    public var termination: Termination {
        guard !process.isRunning else { return Termination(status: -1, signalled: false, running: true) }
        return Termination(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal, running: false)
    }

    public struct Termination: CustomStringConvertible, Sendable {
        /// The exit status, or the signal's number; -1 while it runs.
        public var status: Int32
        public var signalled: Bool
        public var running: Bool

        public var description: String {
            running ? "still running" : signalled ? "killed by signal \(status)" : "exited with status \(status)"
        }
    }

    /// Waits until `ready()` holds, failing if the process exits or `timeout` passes.
    public func wait(timeout: Duration = .seconds(15), until ready: () -> Bool) throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if ready() { return }
            if !process.isRunning {
                throw SetupFailure("\(name) exited with status \(process.terminationStatus) before it was ready: \(errors)")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        stop()
        throw SetupFailure("\(name) was not ready within \(timeout): \(output) \(errors)")
    }

    /// Stops the process, reaps it and removes its logs: closes its standard input (servers that
    /// watch it exit on that), sends SIGTERM, and SIGKILL if it lingers past `grace`.
    public func stop(grace: Duration = .seconds(3)) {
        lock.lock()
        defer { lock.unlock() }
        guard !reaped else { return }
        reaped = true
        try? stdinPipe.fileHandleForWriting.close()
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = ContinuousClock.now + grace
            while process.isRunning, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.01) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: logFolder)
    }
}
