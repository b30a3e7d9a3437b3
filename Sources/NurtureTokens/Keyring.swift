import Crypto
import Foundation

/// The secrets links are signed with, kept in a file of their own (never in the database, so a
/// copy of the store cannot forge an unsubscribe or a click). Each key has an id that every token
/// carries: a new key signs from now on, and the old ones still check the links already sent.
public struct Keyring: Sendable, Codable, Equatable {
    public struct Key: Sendable, Codable, Equatable {
        public var id: String
        /// 32 random bytes, base64 in the file.
        public var secret: Data
        public var created: Date
    }

    public var keys: [Key]
    /// The id of the key that signs new links.
    public var current: String

    public struct Problem: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// A keyring with one new key, or `existing` with a new key added and made current.
    public static func rotated(_ existing: Keyring?, now: Date) -> Keyring {
        var id: String
        repeat {
            id = SymmetricKey(size: SymmetricKeySize(bitCount: 64)).withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() }
        } while existing?.keys.contains(where: { $0.id == id }) ?? false
        let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        var ring = existing ?? Keyring(keys: [], current: id)
        // Whole seconds: the file keeps ISO 8601 times.
        ring.keys.append(Key(id: id, secret: secret, created: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))))
        ring.current = id
        return ring
    }

    public func key(_ id: String) -> Key? { keys.first { $0.id == id } }

    /// Reads a keyring file, which must be a regular file of at most 1 MiB that only its owner can read.
    public static func load(path: String) throws(Problem) -> Keyring {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw Problem(description: "no keyring at \(path); 'nurture keys create --keys \(path)' makes one")
        }
        guard info.st_mode & S_IFMT == S_IFREG else { throw Problem(description: "the keyring \(path) is not a regular file") }
        guard info.st_mode & 0o077 == 0 else {
            throw Problem(description: "the keyring \(path) can be read by other users; run 'chmod 600 \(path)'")
        }
        guard info.st_size <= 1 << 20, let data = FileManager.default.contents(atPath: path) else {
            throw Problem(description: "cannot read the keyring \(path)")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let ring = try? decoder.decode(Keyring.self, from: data), ring.key(ring.current) != nil,
              ring.keys.allSatisfy({ $0.secret.count >= 32 && !$0.id.isEmpty && $0.id.allSatisfy(\.isHexDigit) })
        else { throw Problem(description: "the keyring \(path) is damaged: it is not a keyring this version wrote") }
        return ring
    }

    /// Writes the keyring, readable by its owner only, replacing the file in one step.
    public func save(path: String) throws(Problem) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(self) else { throw Problem(description: "cannot encode the keyring") }
        let temporary = path + ".new"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Problem(description: "cannot write \(temporary): \(String(cString: strerror(errno)))") }
        let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == data.count, synced, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw Problem(description: "cannot write the keyring \(path): \(String(cString: strerror(errno)))")
        }
    }
}
