import Foundation
import PackagePlugin

/// `swift package validate-sequences [FOLDER...]`: builds `nurture`, runs `nurture validate` on the
/// package's `sequences/` folder (or the folders given) and re-emits each `path:line:col:` diagnostic
/// through the plugin API, so editors and CI show them on the right line.
@main
struct ValidateSequences: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        let build = try packageManager.build(.product("nurture"), parameters: .init(configuration: .debug, logging: .concise))
        guard build.succeeded, let tool = build.builtArtifacts.first(where: { $0.kind == .executable }) else {
            Diagnostics.error("could not build nurture:\n\(build.logText)")
            return
        }
        let root = context.package.directoryURL
        let folders = arguments.isEmpty ? [root.appendingPathComponent("sequences").path] : arguments

        let process = Process()
        process.executableURL = tool.url
        process.arguments = ["validate"] + folders
        process.currentDirectoryURL = root
        let errors = Pipe(), output = Pipe()
        process.standardError = errors
        process.standardOutput = output
        try process.run()
        let diagnosticText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let summary = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        for line in diagnosticText.split(separator: "\n") { emit(String(line)) }
        print(summary, terminator: "")
        if process.terminationStatus != 0, !diagnosticText.contains(": error: ") {
            Diagnostics.error("nurture validate failed with status \(process.terminationStatus)")
        }
    }

    /// `path:line:col: severity: message` -> a plugin diagnostic at that file and line.
    func emit(_ line: String) {
        let parts = line.split(separator: ":", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, let number = Int(parts[1]), Int(parts[2]) != nil else {
            Diagnostics.remark(line)
            return
        }
        let file = String(parts[0])
        // The location stays in the text too: SwiftPM's terminal output shows only the message.
        let message = "\(parts[0]):\(parts[1]):\(parts[2]): " + parts[4].trimmingCharacters(in: .whitespaces)
        switch parts[3].trimmingCharacters(in: .whitespaces) {
        case "error": Diagnostics.error(message, file: file, line: number)
        case "warning": Diagnostics.warning(message, file: file, line: number)
        default: Diagnostics.remark(line)
        }
    }
}
