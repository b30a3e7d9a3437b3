import Foundation

/// Shared helpers: where the package and its shipped definitions are, running the built `nurture`
/// binary, and scratch folders.
enum Support {
    /// The package root, found from this file's own path (`Tests/NurtureDefinitionsTests/Support.swift`).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    static let testsFolder: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    /// The shipped definitions folder (with symbolic links resolved).
    static var sequencesFolder: URL { packageRoot.appendingPathComponent("sequences").resolvingSymlinksInPath() }

    /// The corpus of broken definitions, one folder per case.
    static var brokenFolder: URL { testsFolder.appendingPathComponent("Broken") }

    /// The names of the broken-definition cases, sorted.
    static var brokenCaseNames: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: brokenFolder.path)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(
                atPath: brokenFolder.appendingPathComponent(name).path, isDirectory: &isDirectory) && isDirectory.boolValue
        }.sorted()
    }

    // MARK: The nurture binary

    /// The `nurture` executable built alongside the tests. The test bundle lives in the build
    /// products folder (on Linux it is itself an executable there), so look beside it first, then
    /// in `.build/debug`.
    static let nurtureBinary: URL? = {
        var folders: [URL] = []
        if let executable = Bundle.main.executableURL { folders.append(executable.deletingLastPathComponent()) }
        folders.append(Bundle.main.bundleURL)
        folders.append(Bundle.main.bundleURL.deletingLastPathComponent())
        if let first = CommandLine.arguments.first, first.contains("/") {
            folders.append(URL(fileURLWithPath: first).deletingLastPathComponent())
        }
        folders.append(packageRoot.appendingPathComponent(".build/debug"))
        for folder in folders {
            let candidate = folder.appendingPathComponent("nurture")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        return nil
    }()

    struct Run: Sendable {
        var status: Int32
        /// True when the process was killed by a signal (a crash), not when it exited.
        var crashed: Bool
        var stdout: String
        var stderr: String

        var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
        var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    }

    struct MissingBinary: Error, CustomStringConvertible {
        var description: String { "the nurture executable was not found next to the tests or in .build/debug; build it first" }
    }

    /// Runs `nurture` with `arguments`, in `directory` (the package root by default).
    static func nurture(_ arguments: [String], in directory: URL = packageRoot) throws -> Run {
        guard let binary = nurtureBinary else { throw MissingBinary() }
        let scratch = try makeTemporaryFolder(prefix: "nurture-run")
        defer { remove(scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)

        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Run(
            status: process.terminationStatus,
            crashed: process.terminationReason == .uncaughtSignal,
            stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }

    // MARK: Scratch folders

    /// A new, empty folder under the system's temporary folder. The caller removes it.
    static func makeTemporaryFolder(prefix: String = "nurture-tests") throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func remove(_ folder: URL) {
        try? FileManager.default.removeItem(at: folder)
    }

    /// Copies the regular files under `source` into `destination` as new files, so nothing written
    /// to the copy can reach the original (not even through a symbolic link).
    static func copyContents(of source: URL, to destination: URL) throws {
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

    /// Writes `text` to `name` inside `folder` and returns the file's path.
    @discardableResult
    static func write(_ text: String, to name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}
