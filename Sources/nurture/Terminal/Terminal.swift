import ArgumentParser
import Foundation
import NurtureCore

/// The C library's standard output stream, which `print` writes through. Looked up by its symbol:
/// Swift 6 refuses a reference to the C global itself, which it cannot prove thread-safe.
private func standardOutputStream() -> UnsafeMutablePointer<FILE>? {
    #if os(Linux)
    let (everywhere, symbol): (UnsafeMutableRawPointer?, String) = (nil, "stdout")  // RTLD_DEFAULT
    #else
    let (everywhere, symbol): (UnsafeMutableRawPointer?, String) = (UnsafeMutableRawPointer(bitPattern: -2), "__stdoutp")
    #endif
    return dlsym(everywhere, symbol)?
        .assumingMemoryBound(to: UnsafeMutablePointer<FILE>?.self).pointee
}

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

    /// Writes a file whole, checking every write and the close: success is only reported for
    /// bytes the system took (a full disk or `/dev/full` is an error, not "wrote").
    static func writeFile(_ bytes: [UInt8], to path: String) throws {
        func failure(_ code: Int32) -> ValidationError {
            ValidationError("cannot write \(path): \(String(cString: strerror(code)))")
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(errno) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                let code = errno
                close(descriptor)
                throw failure(code)
            }
            written += count
        }
        guard close(descriptor) == 0 else { throw failure(errno) }
    }

    /// Flushes standard output and says why not everything printed reached it, if it did not: a
    /// report piped into a full disk must fail the command.
    static func standardOutputProblem() -> String? {
        guard let stream = standardOutputStream(), fflush(stream) != 0 || ferror(stream) != 0 else { return nil }
        return "cannot write to standard output: \(String(cString: strerror(errno)))"
    }
}
