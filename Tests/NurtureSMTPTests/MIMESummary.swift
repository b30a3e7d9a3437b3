import Foundation
import NurtureTestSupport

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

    static let script = TestServers.scripts.appendingPathComponent("check_mime.py")

    struct Refused: Error, CustomStringConvertible {
        var file: String
        var problems: String
        var description: String { "check_mime.py refused \(file):\n\(problems)" }
    }

    /// Checks one message file; throws with the script's complaints when it is refused.
    static func check(_ file: URL, replyTo: Bool? = nil) throws -> MIMESummary {
        var arguments = [script.path, file.path]
        if let replyTo { arguments.append(replyTo ? "--reply-to" : "--no-reply-to") }
        let run = try ToolRun.run(TestServers.python, arguments)
        guard run.status == 0 else { throw Refused(file: file.lastPathComponent, problems: run.stderr) }
        return try JSONDecoder().decode(MIMESummary.self, from: run.stdoutData)
    }

    struct BatchEntry: Decodable, Sendable {
        var summary: MIMESummary?
        var problems: [String]
    }

    /// Checks many files in one run of the script: each file's summary, or its problems.
    static func checkAll(_ files: [URL]) throws -> [URL: BatchEntry] {
        guard !files.isEmpty else { return [:] }
        let run = try ToolRun.run(TestServers.python, [script.path, "--batch"] + files.map(\.path))
        guard run.status == 0 else { throw Refused(file: "\(files.count) files", problems: run.stderr) }
        let byPath = try JSONDecoder().decode([String: BatchEntry].self, from: run.stdoutData)
        return Dictionary(uniqueKeysWithValues: files.map { ($0, byPath[$0.path] ?? BatchEntry(summary: nil, problems: ["not checked"])) })
    }

    /// Checks bytes by writing them to a scratch file first.
    static func check(bytes: [UInt8], replyTo: Bool? = nil) throws -> MIMESummary {
        let folder = try TemporaryFolder.make("nurture-mime")
        defer { TemporaryFolder.remove(folder) }
        let file = folder.appendingPathComponent("message.eml")
        try Data(bytes).write(to: file)
        return try check(file, replyTo: replyTo)
    }
}
