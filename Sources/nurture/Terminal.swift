import Foundation
import NurtureCore

/// Where the command line writes what is not the report.
enum Terminal {
    /// Diagnostics and errors go to standard error, so reports on standard output stay clean. A
    /// message quoting input is one line whatever the input holds: control characters are escaped.
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line.controlCharactersEscaped + "\n").utf8))
    }

    /// A message of several lines (a usage text), each escaped as `error` escapes one.
    static func error(lines text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).controlCharactersEscaped }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
