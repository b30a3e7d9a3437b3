import Foundation
import NurtureTestSupport
import Testing

/// The corpus in `Broken/`: each folder is the shipped `sequences/` with a few files replaced
/// (same relative paths), some removed (listed in `remove`), and an `expected` file with the
/// diagnostics `nurture validate` must print, one per line:
///
///     relative/path:LINE:COL: error: message fragment
///
/// Each case must report exactly the expected diagnostics: the mistake, at its place, and no
/// knock-on errors that would send a marketer looking in the wrong place.
@Suite("Broken definitions")
struct BrokenDefinitionsTests {
    /// The corpus, beside this file.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Broken")

    /// The names of the cases (one folder each), sorted.
    static var caseNames: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(
                atPath: folder.appendingPathComponent(name).path, isDirectory: &isDirectory) && isDirectory.boolValue
        }.sorted()
    }

    struct Expectation: CustomStringConvertible {
        var path: String
        var line: Int
        var column: Int
        var severity: String
        var fragment: String

        var description: String { "\(path):\(line):\(column): \(severity): \(fragment)" }

        /// Parses `path:LINE:COL: severity: fragment`.
        init?(_ text: String) {
            let parts = text.split(separator: ":", maxSplits: 4, omittingEmptySubsequences: false)
            guard parts.count == 5, let line = Int(parts[1]), let column = Int(parts[2]) else { return nil }
            let severity = parts[3].trimmingCharacters(in: .whitespaces)
            guard severity == "error" || severity == "warning" else { return nil }
            path = String(parts[0])
            self.line = line
            self.column = column
            self.severity = severity
            fragment = parts[4].trimmingCharacters(in: .whitespaces)
        }

        /// Whether a printed diagnostic, whose paths start with `folder`, is this one.
        func matches(_ printed: String, folder: String) -> Bool {
            printed.hasPrefix("\(folder)/\(path):\(line):\(column): \(severity):") && printed.contains(fragment)
        }
    }

    /// Copies the shipped definitions into a new folder, then applies the case's `remove` list and
    /// overlay files. Returns the scratch folder (to delete) and the definitions folder in it.
    static func prepare(_ name: String) throws -> (scratch: URL, definitions: URL) {
        let fileManager = FileManager.default
        let caseFolder = Self.folder.appendingPathComponent(name)
        let scratch = try TemporaryFolder.make("nurture-broken-\(name)")
        let definitions = scratch.appendingPathComponent("definitions")
        try TemporaryFolder.copyFiles(of: PackageFolders.sequences, to: definitions)

        let removeList = caseFolder.appendingPathComponent("remove")
        if fileManager.fileExists(atPath: removeList.path) {
            for line in try String(contentsOf: removeList, encoding: .utf8).split(separator: "\n") {
                let relative = line.trimmingCharacters(in: .whitespaces)
                guard !relative.isEmpty, !relative.hasPrefix("#") else { continue }
                let target = definitions.appendingPathComponent(relative)
                try #require(!relative.contains(".."), "'remove' paths stay inside the copy")
                #expect(fileManager.fileExists(atPath: target.path), "'remove' names \(relative), which is not in sequences/")
                try? fileManager.removeItem(at: target)
            }
        }

        let walker = fileManager.enumerator(atPath: caseFolder.path)
        while let relative = walker?.nextObject() as? String {
            guard relative != "expected", relative != "remove" else { continue }
            let source = caseFolder.appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: source.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let target = definitions.appendingPathComponent(relative)
            try fileManager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contentsOf: source).write(to: target)
        }
        return (scratch, definitions)
    }

    static func expectations(_ name: String) throws -> [Expectation] {
        let file = Self.folder.appendingPathComponent(name).appendingPathComponent("expected")
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        return try lines.map { line in
            try #require(Expectation(line), "\(name)/expected: '\(line)' is not 'path:LINE:COL: error: fragment'")
        }
    }

    @Test("the corpus covers at least 30 mistakes")
    func corpusSize() {
        #expect(Self.caseNames.count >= 30)
    }

    @Test("a broken definitions folder is reported at the mistake", arguments: BrokenDefinitionsTests.caseNames)
    func brokenCase(_ name: String) throws {
        let expected = try Self.expectations(name)
        #expect(!expected.isEmpty, "\(name) has no expected diagnostics")
        #expect(expected.contains { $0.severity == "error" }, "\(name) expects no error, but every case is broken")

        let (scratch, definitions) = try Self.prepare(name)
        defer { TemporaryFolder.remove(scratch) }
        let folder = definitions.path
        let run = try NurtureCLI.run(["validate", folder])

        #expect(!run.crashed, "nurture validate crashed on \(name):\n\(run.stderr)")
        #expect(run.status == 1, "nurture validate should exit 1 on \(name), exited \(run.status):\n\(run.stderr)")

        let printed = run.stderrLines.filter { $0.contains(": error: ") || $0.contains(": warning: ") }
        for expectation in expected {
            #expect(
                printed.contains { expectation.matches($0, folder: folder) },
                "\(name): missing \(expectation)\nprinted:\n\(run.stderr)")
        }
        for line in printed {
            #expect(
                expected.contains { $0.matches(line, folder: folder) },
                "\(name): unexpected diagnostic \(line.replacingOccurrences(of: folder + "/", with: ""))")
        }
        #expect(printed.count == expected.count, "\(name): expected \(expected.count) diagnostics, printed:\n\(run.stderr)")
    }
}
