import ArgumentParser
import Foundation
import NurtureBasics
import NurtureDefinitions
import NurturePersonas

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check definitions folders and report every problem as path:line:col.",
        discussion: "Exits 0 when there are no errors (warnings are printed), 1 when there are errors."
    )

    @Argument(help: "Definitions folders, or files in them (their folder is checked), or persona files.")
    var paths: [String] = ["sequences"]

    func run() throws {
        var errors = 0, warnings = 0
        var checked = Set<String>()
        func report(_ diagnostics: Diagnostics) {
            for diagnostic in diagnostics.sorted { Terminal.error(diagnostic.description) }
            errors += diagnostics.errors.count
            warnings += diagnostics.warnings.count
        }
        /// A persona file is checked on its own: it belongs to no sequence, and may live outside a
        /// definitions folder.
        func checkPersonas(_ path: String) {
            guard checked.insert(path).inserted else { return }
            let (population, diagnostics) = PersonaLoader.load(path: path)
            report(diagnostics)
            if let population {
                let zones = Set(population.timeZones.values + population.personas.flatMap { $0.timeZones?.values ?? [] })
                print("\(path): \(Figures.count(population.personas.count, "persona")) over \(Figures.count(zones.count, "time zone"))")
            }
        }
        for path in paths {
            let isFile = path.hasSuffix(".yml") || path.hasSuffix(".yaml") || path.hasSuffix(".md")
            if isFile, PersonaLoader.isPersonaFile(path: path) {
                checkPersonas(path)
                continue
            }
            let folder = isFile ? Self.folder(of: path) : path
            guard checked.insert(folder).inserted else { continue }
            let result = DefinitionLoader.load(directory: folder)
            report(result.diagnostics)
            if let set = result.definitions {
                print("\(folder): \(set.sequences.count) sequences, \(set.templates.count) templates, lifecycle v\(set.lifecycle.version), scoring v\(set.scoring.version)")
            }
            // A folder's persona files are part of its definitions: `simulate` reads them.
            for personas in DefinitionLoader.personaFiles(directory: folder) { checkPersonas(personas) }
        }
        print("\(Figures.count(errors, "error")), \(Figures.count(warnings, "warning"))")
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
