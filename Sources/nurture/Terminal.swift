import Foundation

/// Where the command line writes what is not the report.
enum Terminal {
    /// Diagnostics and errors go to standard error, so reports on standard output stay clean.
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
