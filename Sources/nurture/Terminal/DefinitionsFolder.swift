import ArgumentParser
import Foundation
import NurtureCore
import NurtureDefinitions

/// Loading the definitions folder for a command that runs them: its diagnostics go to standard
/// error, and a folder with errors, or none at all, stops the command with one line saying what
/// to do.
enum DefinitionsFolder {
    static func load(_ folder: String, variants: [String] = []) throws -> (DefinitionSet, sequenceFiles: [String: String]) {
        // Most often the command was run outside the project: say so, and how to point at the folder.
        guard FileManager.default.isFolder(atPath: folder) else {
            let place = FileManager.default.currentDirectoryPath
            throw ValidationError(
                "no definitions folder '\(folder)' in \(place); run from the folder that holds it, or pass --definitions FOLDER")
        }
        let result = DefinitionLoader.load(directory: folder, variants: variants)
        for diagnostic in result.diagnostics.sorted { Terminal.error(diagnostic.description) }
        guard let set = result.definitions else {
            throw ValidationError("the definitions in \(folder) have errors; run 'nurture validate \(folder)'")
        }
        return (set, result.sequenceFiles)
    }
}
