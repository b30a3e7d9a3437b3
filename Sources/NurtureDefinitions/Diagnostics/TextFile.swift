import Foundation

/// Reads a user's file as text, turning each way that can fail into a diagnostic that says which:
/// a mistyped path and a file in the wrong encoding need different fixes.
public enum TextFile {
    static func read(path: String, displayPath: String? = nil, into diagnostics: inout Diagnostics) -> String? {
        let shown = displayPath ?? path
        guard let data = FileManager.default.contents(atPath: path) else {
            diagnostics.append(unreadable(path: path, displayPath: shown))
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            diagnostics.append(.init(.error, file: shown, line: 0, column: 0, message: "the file is not UTF-8 text"))
            return nil
        }
        return text
    }

    /// Why the file at `path` cannot be read, found before anything is done with it (such as
    /// opening a store to import it into); nil when it can be.
    public static func problem(path: String) -> Diagnostic? {
        FileManager.default.isReadableFile(atPath: path) && !FileManager.default.isFolder(atPath: path)
            ? nil : unreadable(path: path)
    }

    /// The diagnostic for a file that could not be opened.
    static func unreadable(path: String, displayPath: String? = nil) -> Diagnostic {
        let message = !FileManager.default.fileExists(atPath: path) ? "no such file"
            : FileManager.default.isFolder(atPath: path) ? "is a folder, not a file" : "cannot read the file"
        return .init(.error, file: displayPath ?? path, line: 0, column: 0, message: message)
    }
}
