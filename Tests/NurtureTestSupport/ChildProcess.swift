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
    private let process: Spawn
    private let logFolder: URL
    /// Kept open so a child that watches its standard input dies with the test process.
    private let stdinPipe: Pipe
    private let lock = NSLock()
    private var reaped = false

    private var stdoutURL: URL { logFolder.appendingPathComponent("stdout") }
    private var stderrURL: URL { logFolder.appendingPathComponent("stderr") }

    public init(name: String, executable: String, arguments: [String], environment: [String: String]? = nil) throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw SetupFailure("\(name): \(executable) is missing; run scripts/install-system-packages")
        }
        self.name = name
        let folder = try TemporaryFolder.make("nurture-child")
        let stdoutURL = folder.appendingPathComponent("stdout"), stderrURL = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let input = Pipe()
        let out = try FileHandle(forWritingTo: stdoutURL), err = try FileHandle(forWritingTo: stderrURL)
        defer {
            try? out.close()
            try? err.close()
            try? input.fileHandleForReading.close()
        }
        do {
            process = try Spawn(
                executable: executable, arguments: arguments, environment: environment, directory: nil,
                stdin: input.fileHandleForReading.fileDescriptor, stdout: out.fileDescriptor, stderr: err.fileDescriptor)
        } catch {
            throw SetupFailure("\(name) did not start: \(error)")
        }
        logFolder = folder
        stdinPipe = input
    }

    deinit { stop() }

    public var pid: Int32 { process.pid }
    public var isRunning: Bool { process.termination == nil }
    public var output: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    public var errors: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    public func signal(_ number: Int32) { process.signal(number) }

    /// Waits for the process to exit; false when it is still running after `timeout`.
    @discardableResult
    public func wait(timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while isRunning, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.01) }
        return !isRunning
    }

    /// How it ended: its exit status, or the signal that killed it; `running` when it has not
    /// ended yet.
    public var termination: Termination {
        guard let ended = process.termination else { return Termination(status: -1, signalled: false, running: true) }
        return Termination(status: ended.status, signalled: ended.signalled, running: false)
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
            if !isRunning {
                throw SetupFailure("\(name) \(termination) before it was ready: \(errors)")
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
        if isRunning {
            process.signal(SIGTERM)
            let deadline = ContinuousClock.now + grace
            while isRunning, ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.01) }
            process.signal(SIGKILL)
        }
        process.waitForExit()
        try? FileManager.default.removeItem(at: logFolder)
    }
}
