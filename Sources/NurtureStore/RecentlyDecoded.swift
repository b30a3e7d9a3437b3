import Foundation
import Synchronization

/// Values decoded from blobs the store read or wrote moments ago, found by the blob's bytes.
///
/// A lead's profile is decoded when a pass claims the lead and again, seconds later, when its
/// send is checked; the state a pass writes is read back for that same check. Keyed by the whole
/// blob, so a row that changed can never be answered from here. Bounded: emptied when full. The
/// bound covers a launch of thousands of leads at once, whose sends queue up behind the engine's
/// side, at a few kilobytes per entry.
final class RecentlyDecoded<Value: Sendable>: Sendable {
    private let entries = Mutex<[Blob: Value]>([:])
    private let capacity: Int

    init(capacity: Int = 16384) { self.capacity = capacity }

    /// The blob's value, decoded now unless it was seen recently.
    func value(of blob: Data, decode: (Data) throws -> Value) rethrows -> Value {
        let key = Blob(blob)
        if let known = entries.withLock({ $0[key] }) { return known }
        let value = try decode(blob)
        remember(value, key)
        return value
    }

    /// Notes a value the store has just encoded as `blob`.
    func remember(_ value: Value, as blob: Data) { remember(value, Blob(blob)) }

    private func remember(_ value: Value, _ key: Blob) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = value
        }
    }

    /// Bytes hashed whole: `Data` hashes only its first bytes, and states and profiles of
    /// different leads often begin alike.
    private struct Blob: Hashable, Sendable {
        let bytes: Data
        let hash: Int

        init(_ bytes: Data) {
            self.bytes = bytes
            var hasher = Hasher()
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
            hash = hasher.finalize()
        }

        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
        static func == (a: Blob, b: Blob) -> Bool { a.hash == b.hash && a.bytes == b.bytes }
    }
}
