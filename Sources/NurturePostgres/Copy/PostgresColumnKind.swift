import NIOCore
import NurtureStore
import PostgresNIO

/// A PostgreSQL column's type, as a copy writes into it and reads back from it. SQLite keeps any
/// value in any column; PostgreSQL does not, so each value is first made the column's kind (an
/// integer time becomes a real, text meant as bytes becomes bytes) and refused when it cannot be.
/// The digests are taken over the values so made, on both sides.
enum PostgresColumnKind: Sendable, Equatable {
    case text, bytes, real, bigint, integer, smallint, boolean

    /// The kind for `information_schema.columns.data_type`, or nil for a type no store column has.
    init?(dataType: String) {
        switch dataType {
        case "text", "character varying": self = .text
        case "bytea": self = .bytes
        case "double precision": self = .real
        case "bigint": self = .bigint
        case "integer": self = .integer
        case "smallint": self = .smallint
        case "boolean": self = .boolean
        default: return nil
        }
    }

    /// `value` as this column holds it, or nil when it cannot be held without changing it.
    func coerce(_ value: StoredValue) -> StoredValue? {
        switch (self, value) {
        case (_, .null):
            return .null
        case (.text, .text(let text)):
            return text.utf8.contains(0) ? nil : value
        case (.text, .blob(let bytes)):
            guard !bytes.contains(0), let text = String(validating: bytes, as: UTF8.self) else { return nil }
            return .text(text)
        case (.bytes, .blob):
            return value
        case (.bytes, .text(let text)):
            return .blob(Array(text.utf8))
        case (.real, .real):
            return value
        case (.real, .integer(let number)):
            return .real(Double(number))
        case (.bigint, _), (.integer, _), (.smallint, _), (.boolean, _):
            guard let number = Self.integer(value), range.contains(number) else { return nil }
            return .integer(number)
        default:
            return nil
        }
    }

    private var range: ClosedRange<Int64> {
        switch self {
        case .integer: Int64(Int32.min)...Int64(Int32.max)
        case .smallint: Int64(Int16.min)...Int64(Int16.max)
        case .boolean: 0...1
        default: Int64.min...Int64.max
        }
    }

    private static func integer(_ value: StoredValue) -> Int64? {
        switch value {
        case let .integer(number): number
        case let .real(number): number.rounded() == number && abs(number) < 0x1p63 ? Int64(number) : nil
        default: nil
        }
    }

    /// Appends a value already made this kind (`coerce`) to a statement's parameters.
    func bind(_ value: StoredValue, to bindings: inout PostgresBindings) {
        switch value {
        case .null: bindings.appendNull()
        case let .text(text): bindings.append(text)
        case let .blob(bytes): bindings.append(ByteBuffer(bytes: bytes))
        case let .real(number): bindings.append(number)
        case let .integer(number):
            switch self {
            case .integer: bindings.append(Int32(truncatingIfNeeded: number))
            case .smallint: bindings.append(Int16(truncatingIfNeeded: number))
            case .boolean: bindings.append(number != 0)
            default: bindings.append(number)
            }
        }
    }

    /// A cell read back, as `coerce` would have made it.
    func read(_ cell: PostgresCell) throws -> StoredValue {
        switch self {
        case .text: try cell.decode(String?.self).map(StoredValue.text) ?? .null
        case .bytes: try cell.decode(ByteBuffer?.self).map { .blob(Array($0.readableBytesView)) } ?? .null
        case .real: try cell.decode(Double?.self).map(StoredValue.real) ?? .null
        case .bigint: try cell.decode(Int64?.self).map(StoredValue.integer) ?? .null
        case .integer: try cell.decode(Int32?.self).map { .integer(Int64($0)) } ?? .null
        case .smallint: try cell.decode(Int16?.self).map { .integer(Int64($0)) } ?? .null
        case .boolean: try cell.decode(Bool?.self).map { .integer($0 ? 1 : 0) } ?? .null
        }
    }
}
