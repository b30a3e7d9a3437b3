import Foundation

/// Reads values in the order a `CompactWriter` wrote them, from bytes it does not own (it lives
/// only inside `CompactForm.decode`'s scope). Every read checks the bounds and throws past them.
public struct CompactReader {
    private let bytes: UnsafeRawBufferPointer
    public private(set) var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    public func failure(_ problem: String) -> CompactFormError { CompactFormError(offset: offset, problem: problem) }

    public mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw failure("ends early") }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func unsigned() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try byte()
            guard shift < 64 else { throw failure("number too long") }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    public mutating func int() throws -> Int {
        let zigzag = try unsigned()
        return Int(truncatingIfNeeded: Int64(bitPattern: (zigzag >> 1) ^ (0 &- (zigzag & 1))))
    }

    /// A count of things that follow, each at least a byte long, so a damaged count fails here.
    public mutating func count() throws -> Int {
        let count = try unsigned()
        guard count <= UInt64(bytes.count - offset) else { throw failure("count \(count) is past the end") }
        return Int(count)
    }

    public mutating func double() throws -> Double {
        guard bytes.count - offset >= 8 else { throw failure("ends early") }
        var bits: UInt64 = 0
        withUnsafeMutableBytes(of: &bits) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 8])) }
        offset += 8
        return Double(bitPattern: UInt64(littleEndian: bits))
    }

    public mutating func bool() throws -> Bool {
        switch try byte() {
        case 0: false
        case 1: true
        case let other: throw CompactFormError(offset: offset - 1, problem: "\(other) is not a flag")
        }
    }

    public mutating func string() throws -> String {
        let length = try count()
        defer { offset += length }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length]), as: UTF8.self)
    }

    public mutating func date() throws -> Date { Date(timeIntervalSinceReferenceDate: try double()) }

    public mutating func read<Value: CompactCodable>(_ type: Value.Type = Value.self) throws -> Value {
        try Value(from: &self)
    }

    public mutating func optional<Value: CompactCodable>(_ type: Value.Type = Value.self) throws -> Value? {
        try bool() ? try Value(from: &self) : nil
    }

    public mutating func array<Value: CompactCodable>(of type: Value.Type = Value.self) throws -> [Value] {
        let count = try count()
        var values: [Value] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try Value(from: &self)) }
        return values
    }

    public mutating func set<Value: CompactCodable & Hashable>(of type: Value.Type = Value.self) throws -> Set<Value> {
        Set(try array(of: Value.self))
    }

    public mutating func dictionary<Value: CompactCodable>(of type: Value.Type = Value.self) throws -> [String: Value] {
        let count = try count()
        var values: [String: Value] = [:]
        values.reserveCapacity(count)
        for _ in 0..<count {
            let key = try string()
            values[key] = try Value(from: &self)
        }
        return values
    }

    /// The value's fields all read: anything left over means the blob is not what was expected.
    func expectEnd() throws {
        guard offset == bytes.count else { throw failure("\(bytes.count - offset) bytes left over") }
    }
}
