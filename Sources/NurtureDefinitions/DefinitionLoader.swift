import Foundation
import NurtureCore
import NurturePersonas
import Yams

/// Loads a definitions folder (`lifecycle.yml`, `scoring.yml`, one `*.yml` per sequence,
/// `templates/**/*.md`) into a ``DefinitionSet``, with every problem found as a diagnostic. Persona
/// files in the folder are the simulator's, not sequences: `PersonaLoader` reads them.
public enum DefinitionLoader {
    public struct Result: Sendable {
        /// Nil when an error leaves nothing runnable.
        public var definitions: DefinitionSet?
        public var diagnostics: Diagnostics
        /// Where each sequence was defined, by id.
        public var sequenceFiles: [String: String]
    }

    public static let lifecycleFile = "lifecycle.yml"
    public static let scoringFile = "scoring.yml"
    /// Files in a definitions folder that are not sequences.
    static let reservedFiles: Set<String> = [lifecycleFile, scoringFile, PersonaLoader.fileName]

    /// The persona files in the folder at `directory`: its `personas.yml`, which `simulate` reads by
    /// default, and any other with a top-level `personas:` key (given to `simulate --personas`).
    public static func personaFiles(directory: String) -> [String] {
        let folder = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        return yamlFiles(folder).filter(PersonaLoader.isPersonaFile)
    }

    /// The YAML files directly in `folder`, sorted, as paths that start with `folder`.
    private static func yamlFiles(_ folder: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return files.sorted()
            .filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }
            .map { folder.isEmpty ? $0 : "\(folder)/\($0)" }
    }

    /// Loads the folder at `directory`. Paths in diagnostics start with `directory` as given.
    /// `variants` are sequence files kept elsewhere (a variant under test): each joins the set,
    /// and replaces the folder's sequence with the same id.
    public static func load(directory: String, variants: [String] = []) -> Result {
        var diagnostics = Diagnostics()
        let folder = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        func path(_ name: String) -> String { folder.isEmpty ? name : "\(folder)/\(name)" }

        guard FileManager.default.isFolder(atPath: folder) else {
            diagnostics.append(.init(.error, file: folder, line: 0, column: 0, message: "no such definitions folder"))
            return Result(definitions: nil, diagnostics: diagnostics, sequenceFiles: [:])
        }

        var lifecycle: LifecycleLoader.Loaded?
        if let node = readRequired(path(lifecycleFile), &diagnostics) {
            var reader = NodeReader(file: path(lifecycleFile))
            lifecycle = LifecycleLoader.load(node, reader: &reader)
            diagnostics.append(contentsOf: reader.diagnostics)
        }
        var scoring: ScoringModel?
        if let node = readRequired(path(scoringFile), &diagnostics) {
            var reader = NodeReader(file: path(scoringFile))
            scoring = ScoringLoader.load(node, reader: &reader)
            diagnostics.append(contentsOf: reader.diagnostics)
        }

        let templates = loadTemplates(folder: path("templates"), &diagnostics)
        var sequences: [SequenceLoader.Loaded] = []
        var sequenceFiles: [String: String] = [:]
        // Sequence files that exist but had errors (already reported), by file name without the
        // extension, so that `enroll:` naming one is not also told the sequence does not exist.
        var unloaded = Set<String>()
        let folderFiles = yamlFiles(folder).filter { !reservedFiles.contains(($0 as NSString).lastPathComponent) }
        var replaced = Set<String>()
        for file in variants + folderFiles {
            let name = (file as NSString).lastPathComponent
            var reader = NodeReader(file: file)
            defer { diagnostics.append(contentsOf: reader.diagnostics) }
            guard let text = TextFile.read(path: file, into: &reader.diagnostics) else {
                unloaded.insert((name as NSString).deletingPathExtension)
                continue
            }
            // A persona file kept beside the sequences is not one of them (see `personaFiles(directory:)`).
            if !variants.contains(file), PersonaLoader.isPersonaText(text) { continue }
            guard let node = YAMLSource.parse(text, displayPath: file, into: &reader.diagnostics),
                  let loaded = SequenceLoader.load(node, reader: &reader)
            else {
                unloaded.insert((name as NSString).deletingPathExtension)
                continue
            }
            let id = loaded.sequence.id
            if variants.contains(file) {
                replaced.insert(id)
            } else if replaced.contains(id) {
                continue  // a variant stands in for this one
            }
            if let other = sequenceFiles[id] {
                reader.error("duplicate sequence id '\(id)', already defined in \(other)", at: loaded.idNode)
                continue
            }
            let stem = (name as NSString).deletingPathExtension
            if stem != id, !variants.contains(file) {
                reader.warning("sequence id '\(id)' differs from its file name '\(name)'", at: loaded.idNode)
            }
            sequenceFiles[id] = file
            sequences.append(loaded)
        }
        if sequences.isEmpty, !diagnostics.hasErrors {
            diagnostics.append(.init(.warning, file: folder, line: 0, column: 0, message: "no sequences in this folder"))
        }

        if let lifecycle, let scoring {
            crossCheck(lifecycle: lifecycle, scoring: scoring, sequences: sequences, templates: templates,
                       sequenceFiles: sequenceFiles, unloaded: unloaded, path: path, diagnostics: &diagnostics)
            checkNoticeTemplates(templates, path: path, diagnostics: &diagnostics)
        }
        guard let lifecycle, let scoring, !diagnostics.hasErrors else {
            return Result(definitions: nil, diagnostics: diagnostics, sequenceFiles: sequenceFiles)
        }
        let set = DefinitionSet(
            lifecycle: lifecycle.lifecycle, scoring: scoring,
            sequences: sequences.map { requiringFields(of: $0, templates: templates) },
            templates: templates.values.compactMap { $0?.template })
        return Result(definitions: set, diagnostics: diagnostics, sequenceFiles: sequenceFiles)
    }

    /// The sequence with the lead fields its emails use, so that a lead lacking one is not enrolled.
    static func requiringFields(of loaded: SequenceLoader.Loaded, templates: [String: TemplateLoader.Loaded?]) -> NurtureSequence {
        var sequence = loaded.sequence
        let used = loaded.templates.flatMap { name, _ in (templates[name] ?? nil)?.variables.map(\.name) ?? [] }
        let messageFields = Set(Lead.messageFields)
        sequence.requiredFields = Array(Set(used).subtracting(messageFields)).sorted()
        // Name and email are always there; title and phone are the profile fields a rep may lack.
        let repPrefixes = sequence.sender == .owner ? ["rep.", "sender."] : ["rep."]
        let repFields = used.compactMap { name in
            repPrefixes.first(where: name.hasPrefix).map { String(name.dropFirst($0.count)) }
        }
        sequence.requiredRepFields = Array(Set(repFields).intersection(["title", "phone"])).sorted()
        return sequence
    }

    static func readRequired(_ file: String, _ diagnostics: inout Diagnostics) -> Node? {
        guard FileManager.default.fileExists(atPath: file) else {
            diagnostics.append(.init(.error, file: file, line: 0, column: 0, message: "missing: every definitions folder needs this file"))
            return nil
        }
        return YAMLSource.load(path: file, displayPath: file, into: &diagnostics)
    }

    /// Every `*.md` under `templates/`, named by its path without the extension; nil for a template
    /// that exists but has errors (already reported), so steps using it are not told it is missing.
    static func loadTemplates(folder: String, _ diagnostics: inout Diagnostics) -> [String: TemplateLoader.Loaded?] {
        var result: [String: TemplateLoader.Loaded?] = [:]
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return result }
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".md") else { continue }
            let name = String(relative.dropLast(3))
            result[name] = TemplateLoader.load(
                path: "\(folder)/\(relative)", displayPath: "\(folder)/\(relative)", name: name, into: &diagnostics)
        }
        return result
    }

    /// Checks that need more than one file: references between them, templates and their
    /// variables, conditions against the scoring model.
    static func crossCheck(
        lifecycle: LifecycleLoader.Loaded, scoring: ScoringModel, sequences: [SequenceLoader.Loaded],
        templates: [String: TemplateLoader.Loaded?], sequenceFiles: [String: String], unloaded: Set<String> = [],
        path: (String) -> String, diagnostics: inout Diagnostics
    ) {
        let stages = lifecycle.lifecycle.stages.map(\.id) + lifecycle.unparsedStages
        func limits(bonus: Double) -> ConditionCheck.Limits {
            ConditionCheck.Limits(
                stages: stages, grades: scoring.grades, bestFit: scoring.bestFitPoints,
                engagementCeiling: scoring.engagementCeiling.map { $0 + bonus })
        }

        var lifecycleReader = NodeReader(file: path(lifecycleFile))
        for (sequence, node) in lifecycle.enrollments where sequenceFiles[sequence] == nil && !unloaded.contains(sequence) {
            let hint = NodeReader.suggestion(for: sequence, among: Array(sequenceFiles.keys)).map { "; did you mean '\($0)'?" } ?? ""
            lifecycleReader.error("unknown sequence '\(sequence)'\(hint)", at: node)
        }
        for (condition, node) in lifecycle.conditions {
            ConditionCheck.check(condition, at: node, limits: limits(bonus: 0), reader: &lifecycleReader)
        }
        diagnostics.append(contentsOf: lifecycleReader.diagnostics)

        for loaded in sequences {
            let sequence = loaded.sequence
            var reader = NodeReader(file: sequenceFiles[sequence.id] ?? sequence.id)
            StepGraphCheck.check(sequence, stepNodes: loaded.stepNodes, reader: &reader)

            // Score steps add points beyond what events can earn.
            let bonus = sequence.steps.reduce(0.0) { total, step in
                if case let .score(points, _) = step.kind, points > 0 { total + points } else { total }
            }
            for (condition, node) in loaded.conditions {
                ConditionCheck.check(condition, at: node, limits: limits(bonus: bonus), reader: &reader)
            }
            for (stage, node) in loaded.exitStages {
                LifecycleLoader.checkStage(stage, at: node, known: stages, reader: &reader)
            }
            checkTemplates(of: loaded, templates: templates, path: path, reader: &reader)
            diagnostics.append(contentsOf: reader.diagnostics)
        }
    }

    /// Every email step names a template that exists, and every variable in it is a field a lead
    /// (or the message) provides: a blank must never reach a customer's inbox.
    static func checkTemplates(
        of loaded: SequenceLoader.Loaded, templates: [String: TemplateLoader.Loaded?], path: (String) -> String,
        reader: inout NodeReader
    ) {
        let sequence = loaded.sequence
        let allowed = Set(Lead.standardFields + Lead.messageFields + sequence.leadFields)
        var checked = Set<String>()
        for (name, node) in loaded.templates {
            guard let found = templates[name] else {
                let hint = NodeReader.suggestion(for: name, among: Array(templates.keys)).map { "; did you mean '\($0)'?" } ?? ""
                reader.error("unknown template '\(name)': there is no templates/\(name).md\(hint)", at: node)
                continue
            }
            guard let template = found, checked.insert(name).inserted else { continue }
            for variable in template.variables where !allowed.contains(variable.name) {
                let hint = NodeReader.suggestion(for: variable.name, among: allowed.sorted()).map { "; did you mean '\($0)'?" }
                    ?? "; add it to the sequence's lead_fields if leads carry it"
                reader.report(
                    .error,
                    "no lead field provides '{{\(variable.name)}}' (used by sequence '\(sequence.id)')\(hint)",
                    at: SourcePosition(file: path("templates/\(name).md"), line: variable.line, column: variable.column))
            }
        }
    }

    /// Rep notice templates (`templates/rep/hand-off.md`...) use only the fields a notice fills in;
    /// a folder without one warns, since that notice could then not be delivered.
    static func checkNoticeTemplates(
        _ templates: [String: TemplateLoader.Loaded?], path: (String) -> String, diagnostics: inout Diagnostics
    ) {
        for kind in NoticeTemplates.Kind.allCases {
            let name = NoticeTemplates.name(kind)
            guard let found = templates[name] else {
                diagnostics.append(.init(
                    .warning, file: path("templates"), line: 0, column: 0,
                    message: "no templates/\(name).md: \(kind.rawValue) notices to reps cannot be delivered"))
                continue
            }
            guard let template = found else { continue }
            let allowed = NoticeTemplates.fields(kind)
            for variable in template.variables where !allowed.contains(variable.name) {
                let hint = NodeReader.suggestion(for: variable.name, among: allowed).map { "; did you mean '\($0)'?" }
                    ?? "; a \(kind.rawValue) notice has \(allowed.joined(separator: ", "))"
                diagnostics.append(.init(
                    .error, file: path("templates/\(name).md"), line: variable.line, column: variable.column,
                    message: "a \(kind.rawValue) notice has no field '{{\(variable.name)}}'\(hint)"))
            }
        }
    }
}
