import Foundation

/// Appends values in the compact form: integers as LEB128 varints (zigzag for signed ones),
/// doubles as their 8 bytes, strings as a length and their UTF-8, optionals as a flag and the value.
public struct CompactWriter {
    public internal(set) var bytes: [UInt8] = []

    public init() { bytes.reserveCapacity(256) }

    public mutating func write(unsigned value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    public mutating func write(_ value: Int) {
        write(unsigned: UInt64(bitPattern: Int64((value << 1) ^ (value >> (Int.bitWidth - 1)))))
    }

    public mutating func write(_ value: Double) {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func write(_ value: Bool) { bytes.append(value ? 1 : 0) }

    public mutating func write(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            write(unsigned: UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// An instant as its seconds since the reference date, exactly as `Date` keeps it.
    public mutating func write(_ value: Date) { write(value.timeIntervalSinceReferenceDate) }

    public mutating func write<Value: CompactCodable>(_ value: Value) { value.write(to: &self) }

    public mutating func write<Value: CompactCodable>(_ value: Value?) {
        write(value != nil)
        value?.write(to: &self)
    }

    public mutating func write<Values: Collection>(_ values: Values) where Values.Element: CompactCodable {
        write(unsigned: UInt64(values.count))
        for value in values { value.write(to: &self) }
    }

    /// A set in sorted order, so that equal sets always give equal bytes.
    public mutating func write<Element: CompactCodable & Comparable>(_ values: Set<Element>) {
        write(values.sorted())
    }

    /// A dictionary in key order, so that equal dictionaries always give equal bytes.
    public mutating func write<Value: CompactCodable>(_ values: [String: Value]) {
        write(unsigned: UInt64(values.count))
        for key in values.keys.sorted() {
            write(key)
            values[key]!.write(to: &self)
        }
    }
}

extension String: CompactCodable {
    public func write(to writer: inout CompactWriter) { writer.write(self) }
    public init(from reader: inout CompactReader) throws { self = try reader.string() }
}

extension Int: CompactCodable {
    public func write(to writer: inout CompactWriter) { writer.write(self) }
    public init(from reader: inout CompactReader) throws { self = try reader.int() }
}

extension Double: CompactCodable {
    public func write(to writer: inout CompactWriter) { writer.write(self) }
    public init(from reader: inout CompactReader) throws { self = try reader.double() }
}

extension Date: CompactCodable {
    public func write(to writer: inout CompactWriter) { writer.write(self) }
    public init(from reader: inout CompactReader) throws { self = try reader.date() }
}
