import ArgumentParser
import Foundation
import NurtureCore
import NurtureDefinitions

/// `--definitions FOLDER` and the sequence argument shared by commands that run a sequence.
struct SequenceSelection: ParsableArguments {
    @Argument(help: "A sequence id, or the path of a sequence file in a definitions folder.")
    var sequence: String

    @Option(name: .long, help: ArgumentHelp(
        "The definitions folder (lifecycle.yml, scoring.yml, sequences, templates/).",
        valueName: "folder"))
    var definitions: String = "sequences"

    /// Whether the argument names a sequence file rather than a sequence id.
    var isPath: Bool { sequence.hasSuffix(".yml") || sequence.hasSuffix(".yaml") }

    /// The sequence file's own folder, when it is a definitions folder.
    var fileFolder: String? {
        guard isPath else { return nil }
        let folder = (sequence as NSString).deletingLastPathComponent
        let candidate = folder.isEmpty ? "." : folder
        return FileManager.default.fileExists(atPath: "\(candidate)/\(DefinitionLoader.lifecycleFile)") ? candidate : nil
    }

    /// The definitions folder: the sequence file's own when it has a lifecycle, else --definitions.
    var folder: String { fileFolder ?? definitions }

    /// A sequence file outside a definitions folder is a variant, run with --definitions' lifecycle,
    /// scoring and templates in place of the sequence of the same id.
    var variants: [String] { isPath && fileFolder == nil ? [sequence] : [] }

    /// Loads the folder (the sequence file's own folder when a path is given) and finds the sequence.
    /// Prints diagnostics and fails when the definitions have errors.
    func load() throws -> (DefinitionSet, NurtureSequence) {
        // Said here: the folder's loader would report the file and then blame the whole folder.
        if isPath, let problem = TextFile.problem(path: sequence) {
            throw ValidationError("cannot read the sequence file \(sequence): \(problem.message)")
        }
        let (set, sequenceFiles) = try DefinitionsFolder.load(folder, variants: variants)
        let id = isPath ? sequenceFiles.first { $0.value == sequence || ($0.value as NSString).lastPathComponent == (sequence as NSString).lastPathComponent }?.key : sequence
        guard let id, let found = set.sequences[id] else {
            let known = set.sequences.keys.sorted().joined(separator: ", ")
            throw ValidationError("no sequence '\(sequence)' in \(folder); the sequences are: \(known)")
        }
        return (set, found)
    }
}
