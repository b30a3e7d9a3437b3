import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a user's file, turning each way that can fail into a diagnostic that says which: a
/// mistyped path and a file in the wrong encoding need different fixes.
///
/// Every input file is opened here, and only a regular file is read: a device (`/dev/zero`), pipe
/// or socket could be endless. A file read whole is at most ``maxBytes``; a lead table is streamed
/// and has no size limit.
public enum TextFile {
    /// The largest definitions, persona, lead or event file read whole.
    public static let maxBytes = 16 << 20

    static func read(path: String, displayPath: String? = nil, into diagnostics: inout Diagnostics) -> String? {
        let shown = displayPath ?? path
        let file: OpenFile
        switch openRegular(path: path, displayPath: shown) {
        case let .success(opened): file = opened
        case let .failure(problem):
            diagnostics.append(problem.diagnostic)
            return nil
        }
        guard file.size <= maxBytes else {
            diagnostics.append(.init(
                .error, file: shown, line: 0, column: 0,
                message: "the file is larger than \(maxBytes >> 20) MiB, the most read at once"))
            return nil
        }
        guard let data = file.readAll(limit: maxBytes) else {
            diagnostics.append(.init(.error, file: shown, line: 0, column: 0, message: "cannot read the file: errno \(errno)"))
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
        if case let .failure(problem) = openRegular(path: path) { return problem.diagnostic }
        return nil
    }

    /// A file that cannot be read, as a diagnostic.
    struct Unreadable: Error {
        var diagnostic: Diagnostic
    }

    /// Opens a regular file for reading; anything else is refused with the reason.
    static func openRegular(path: String, displayPath: String? = nil) -> Result<OpenFile, Unreadable> {
        func refuse(_ message: String) -> Result<OpenFile, Unreadable> {
            .failure(Unreadable(diagnostic: .init(.error, file: displayPath ?? path, line: 0, column: 0, message: message)))
        }
        // Non-blocking, so that opening a pipe with no writer cannot hang before it is refused.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            return refuse(errno == ENOENT || errno == ENOTDIR ? "no such file" : "cannot read the file")
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            close(descriptor)
            return refuse("cannot read the file")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            _ = fcntl(descriptor, F_SETFL, 0)
            return .success(OpenFile(descriptor: descriptor, size: Int(info.st_size)))
        case S_IFDIR:
            close(descriptor)
            return refuse("is a folder, not a file")
        default:
            close(descriptor)
            return refuse("is not a regular file (a device, pipe or socket); give a file")
        }
    }
}

/// A regular file open for reading, closed when no longer used.
final class OpenFile {
    let descriptor: Int32
    /// The size when it was opened.
    let size: Int

    init(descriptor: Int32, size: Int) {
        self.descriptor = descriptor
        self.size = size
    }

    deinit { close(descriptor) }

    /// The whole file, if it is no longer than `limit` bytes (it may have grown since it was opened).
    func readAll(limit: Int) -> Data? {
        var data = Data(count: min(size, limit) + 1)
        var filled = 0
        while filled < data.count {
            let got = data.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
            if got < 0 { return nil }
            if got == 0 { break }
            filled += got
        }
        guard filled <= limit else { return nil }
        return data.prefix(filled)
    }
}
