import Foundation

/// A program run to completion, and what it left behind.
public struct ToolRun: Sendable {
    public var status: Int32
    /// True when the process was killed by a signal (a crash), not when it exited.
    public var crashed: Bool
    /// Standard output byte for byte (a rendered message may not be text).
    public var stdoutData: Data
    public var stderr: String

    public var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    public var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
    public var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }

    /// Runs `executable` to completion, its output going through files so that no pipe can fill
    /// up and stall it.
    public static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil) throws -> ToolRun {
        let scratch = try TemporaryFolder.make("nurture-tool")
        defer { TemporaryFolder.remove(scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let null = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/dev/null"))
        let process = try Spawn(
            executable: executable, arguments: arguments, environment: nil, directory: directory,
            stdin: null.fileDescriptor, stdout: out.fileDescriptor, stderr: err.fileDescriptor)
        try null.close()
        try out.close()
        try err.close()
        let ended = process.waitForExit()
        return ToolRun(
            status: ended.status, crashed: ended.signalled,
            stdoutData: (try? Data(contentsOf: outURL)) ?? Data(),
            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }
}
