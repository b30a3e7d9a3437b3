import Foundation

/// A value with a compact binary stored form.
///
/// The store writes every lead's engine state and profile after each step and reads them back
/// before each send; as JSON that coding was an eighth of the scheduler's time per send. This form
/// is positional (no keys), with variable-length integers, and costs a small fraction of that.
public protocol CompactCodable {
    func write(to writer: inout CompactWriter)
    init(from reader: inout CompactReader) throws
}

/// The framing of a stored blob: a marker that JSON can never begin with, then the format's version.
public enum CompactForm {
    /// Not `{`, `[` or whitespace, so a reader tells this form from the JSON that earlier versions
    /// stored with one byte.
    static let marker: UInt8 = 0xC7
    static let version: UInt8 = 1

    /// The blob for `value`.
    public static func encode<Value: CompactCodable>(_ value: Value) -> Data {
        var writer = CompactWriter()
        writer.bytes.append(marker)
        writer.bytes.append(version)
        value.write(to: &writer)
        return Data(writer.bytes)
    }

    /// Whether `blob` is in this form (and not JSON).
    public static func isCompact(_ blob: Data) -> Bool { blob.first == marker }

    /// The value a blob holds; an error, never a crash, for a damaged or unknown blob.
    public static func decode<Value: CompactCodable>(_ type: Value.Type, from blob: Data) throws -> Value {
        try blob.withUnsafeBytes { bytes in
            var reader = CompactReader(bytes)
            guard try reader.byte() == marker else { throw CompactFormError(offset: 0, problem: "not a compact blob") }
            let version = try reader.byte()
            guard version == Self.version else {
                throw CompactFormError(offset: 1, problem: "version \(version) is newer than this build reads (\(Self.version))")
            }
            let value = try Value(from: &reader)
            try reader.expectEnd()
            return value
        }
    }
}

/// A blob that does not hold what its reader expects: where, and what is wrong.
public struct CompactFormError: Error, CustomStringConvertible {
    public let offset: Int
    public let problem: String

    public var description: String { "stored blob, byte \(offset): \(problem)" }
}
