import ArgumentParser
import Foundation

/// A file holding personal data (leads' ids, what they did): created readable by its owner alone
/// (0600, and an existing file is narrowed to 0600 before it is written), filled in buffered writes.
final class PrivateFile {
    let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private static let flushAt = 1 << 16

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ValidationError("cannot write \(path): \(String(cString: strerror(errno)))") }
        guard fchmod(descriptor, 0o600) == 0 else {
            let code = errno
            close(descriptor)
            throw ValidationError("cannot make \(path) private: \(String(cString: strerror(code)))")
        }
    }

    func write(line: String) throws {
        buffer.append(contentsOf: line.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= Self.flushAt { try flush() }
    }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        try flush()
    }

    private func flush() throws {
        var written = 0
        while written < buffer.count {
            let count = buffer.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw ValidationError("cannot write \(path): \(String(cString: strerror(errno)))") }
            written += count
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is left and closes the file; a failure here means the file is incomplete.
    func finish() throws {
        try flush()
        guard close(descriptor) == 0 else { throw ValidationError("cannot write \(path): \(String(cString: strerror(errno)))") }
    }
}
