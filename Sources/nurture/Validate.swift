import ArgumentParser
import NurtureDefinitions

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check definitions folders and report every problem as path:line:col.",
        discussion: "Exits 0 when there are no errors (warnings are printed), 1 when there are errors."
    )

    @Argument(help: "Definitions folders, or files in them (their folder is checked).")
    var paths: [String] = ["sequences"]

    func run() throws {
        var errors = 0, warnings = 0
        var checked = Set<String>()
        for path in paths {
            let folder = path.hasSuffix(".yml") || path.hasSuffix(".yaml") || path.hasSuffix(".md")
                ? Self.folder(of: path) : path
            guard checked.insert(folder).inserted else { continue }
            let result = DefinitionLoader.load(directory: folder)
            for diagnostic in result.diagnostics.sorted { Terminal.error(diagnostic.description) }
            errors += result.diagnostics.errors.count
            warnings += result.diagnostics.warnings.count
            if let set = result.definitions {
                print("\(folder): \(set.sequences.count) sequences, \(set.templates.count) templates, lifecycle v\(set.lifecycle.version), scoring v\(set.scoring.version)")
            }
        }
        print("\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
        if errors > 0 { throw ExitCode(1) }
    }

    /// The definitions folder a file belongs to; a template's is above `templates/`.
    static func folder(of file: String) -> String {
        var parts = file.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        if let templates = parts.lastIndex(of: "templates") { parts = parts[..<templates] }
        let folder = parts.joined(separator: "/")
        return folder.isEmpty ? "." : folder
    }
}
