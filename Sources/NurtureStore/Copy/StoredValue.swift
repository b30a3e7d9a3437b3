import Foundation
import NurtureBasics

/// One cell of a store table, in the five kinds both stores hold: what a copy reads from one store,
/// writes to the other, and reads back to check.
public enum StoredValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// Folds the value into a row's hash, with its kind first, so that the text "1" and the
    /// integer 1 differ.
    func add(to hash: inout FNV1a) {
        switch self {
        case .null:
            hash.add(0)
        case let .integer(value):
            hash.add(1)
            hash.add(word: UInt64(bitPattern: value))
        case let .real(value):
            hash.add(2)
            hash.add(word: value.bitPattern)
        case let .text(value):
            hash.add(3)
            hash.add(word: UInt64(value.utf8.count))
            hash.add(value.utf8)
        case let .blob(value):
            hash.add(4)
            hash.add(word: UInt64(value.count))
            hash.add(value)
        }
    }
}

/// A table's rows summed up in a way that does not depend on their order: the count, and the
/// wrapping sum of each row's FNV-1a hash. Two stores sort text differently, so a copy compares
/// this rather than the rows in turn.
public struct TableDigest: Sendable, Equatable, CustomStringConvertible {
    public private(set) var rows = 0
    public private(set) var checksum: UInt64 = 0

    public init() {}

    public mutating func add(_ row: [StoredValue]) {
        var hash = FNV1a()
        for value in row { value.add(to: &hash) }
        rows += 1
        checksum &+= hash.value
    }

    public var description: String { "\(rows) rows, checksum \(String(checksum, radix: 16))" }
}
