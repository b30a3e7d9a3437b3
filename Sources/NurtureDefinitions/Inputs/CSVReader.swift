import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// RFC 4180 CSV, read row by row from a file in fixed-size chunks (so memory stays flat whatever
/// the file's size) or from text in memory, with the line and column where each field starts (a
/// quoted field may span lines). Lead tables and event logs both read through it.
///
/// Fields are trimmed of spaces and tabs outside quotes; a UTF-8 byte order mark is skipped. A
/// malformed row is reported instead of returned, and reading goes on with the next row, so a bad
/// row never takes good rows with it:
///
/// - text after a closing quote (`"Smith" Jr`): the rest of the line is skipped;
/// - a quote that is never closed: reading resumes on the line after the one where the quote
///   opened, instead of the rest of the file becoming one field. A quoted field that runs over
///   lines and then into text after its "closing" quote, or past ``maxFieldBytes``, is taken for one;
/// - a field longer than ``maxFieldBytes``, or a row of more than ``maxFields`` fields: the row
///   is skipped, and its bytes are not kept;
/// - a bare carriage return as a line end (old Mac files): in the header the whole file is refused,
///   since it would read as one endless row; elsewhere the row is skipped.
struct CSVReader {
    struct Field {
        var value: String
        var line: Int
        var column: Int
    }

    struct Record {
        var line: Int
        var fields: [Field]

        /// The problem with a row whose width is not the header's: the first surplus field, or the
        /// row's start when fields are missing.
        func widthProblem(expected: Int) -> (line: Int, column: Int, message: String)? {
            guard fields.count != expected else { return nil }
            let surplus = fields.count > expected ? fields[expected] : nil
            return (surplus?.line ?? line, surplus?.column ?? 1, "expected \(expected) fields, found \(fields.count); row skipped")
        }
    }

    enum Item {
        case record(Record)
        case problem(line: Int, column: Int, message: String)
    }

    static let chunkSize = 1 << 18
    /// The longest field kept, in bytes: longer ones are refused with their row.
    static let maxFieldBytes = 64 << 10
    /// The most fields a row may have: a wider row is refused, before its fields are kept.
    static let maxFields = 1_000

    private enum Source {
        case file(OpenFile)
        case memory
    }

    private let source: Source
    /// The bytes at hand: a chunk of the file, or all of the text.
    private var buffer: [UInt8]
    /// Valid bytes in the buffer, the next one to read, and the source offset of the buffer's start.
    private var count = 0
    private var position = 0
    private var bufferOffset = 0
    private var line = 1
    private var column = 1
    private var finished = false
    private var readError: Int32?
    private var rowsRead = 0
    /// Set when the header shows the file cannot be read as rows at all.
    private var headerUnreadable = false

    /// The row being read: its fields, the first problem in it, and where an open quote began.
    private var row = RowInProgress(line: 1)

    private struct RowInProgress {
        var line: Int
        var fields: [Field] = []
        var problem: (line: Int, column: Int, message: String)?
        var bytes: [UInt8] = []
    }

    /// How a field ended.
    private enum FieldEnd {
        case comma, rowEnd
        /// The row cannot be finished: report this instead (the reader has moved past it).
        case abandoned(Item)
    }

    init(file: OpenFile) {
        source = .file(file)
        buffer = [UInt8](repeating: 0, count: Self.chunkSize)
    }

    init(text: String) {
        source = .memory
        buffer = Array(text.utf8)
        count = buffer.count
    }

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n")
    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), carriageReturn = UInt8(ascii: "\r")

    private static func isBlank(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    // MARK: Bytes

    /// The next byte without taking it; nil at the end of the input (or on a read error).
    private mutating func peek() -> UInt8? {
        if position == count {
            guard case let .file(file) = source, readError == nil else { return nil }
            bufferOffset += count
            let got = buffer.withUnsafeMutableBytes { read(file.descriptor, $0.baseAddress, Self.chunkSize) }
            count = max(got, 0)
            position = 0
            if got < 0 { readError = errno }
            if got <= 0 { return nil }
        }
        return buffer[position]
    }

    /// Takes the byte `peek` returned, keeping the line and column.
    private mutating func advance() {
        let byte = buffer[position]
        position += 1
        if byte == Self.newline {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
    }

    private var offset: Int { bufferOffset + position }

    /// Goes back to `target` (a line start), for a quote that was never closed.
    private mutating func rewind(to target: Int, line targetLine: Int) {
        switch source {
        case let .file(file):
            lseek(file.descriptor, off_t(target), SEEK_SET)
            bufferOffset = target
            count = 0
            position = 0
        case .memory:
            position = target
        }
        line = targetLine
        column = 1
    }

    /// Takes a bare carriage return (one not followed by a line feed) as a line end problem.
    /// Returns true when the byte was a CR and was taken.
    private mutating func takeCarriageReturn() -> Bool {
        guard peek() == Self.carriageReturn else { return false }
        let at = (line, column)
        advance()
        if peek() != Self.newline, row.problem == nil {
            headerUnreadable = rowsRead == 0
            row.problem = (at.0, at.1, rowsRead == 0
                ? "the line ends are carriage returns alone (an old Mac format); save the file with LF or CRLF line ends"
                : "a carriage return alone, outside quotes; row skipped")
        }
        return true
    }

    // MARK: Rows

    /// The next record or problem; nil at the end of the input.
    mutating func next() -> Item? {
        guard !finished else { return nil }
        if rowsRead == 0, bufferOffset == 0, position == 0, let item = checkStart() {
            finished = true
            return item
        }
        guard peek() != nil else {
            finished = true
            return readError.map { .problem(line: line, column: column, message: "cannot read the file: errno \($0)") }
        }
        row = RowInProgress(line: line)
        while true {
            switch field() {
            case .comma: continue
            case let .abandoned(item): return item
            case .rowEnd:
                defer { rowsRead += 1 }
                guard let problem = row.problem else { return .record(Record(line: row.line, fields: row.fields)) }
                // A header that cannot be read leaves nothing to read the rows by.
                if headerUnreadable { finished = true }
                return .problem(line: problem.line, column: problem.column, message: problem.message)
            }
        }
    }

    /// Skips a byte order mark; refuses UTF-16.
    private mutating func checkStart() -> Item? {
        guard peek() != nil else { return nil }
        if count - position >= 2, (buffer[0] == 0xFF && buffer[1] == 0xFE) || (buffer[0] == 0xFE && buffer[1] == 0xFF) {
            return .problem(line: 1, column: 1, message: "the file is UTF-16 text; save it as UTF-8 (CSV UTF-8)")
        }
        if count - position >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { position = 3 }
        return nil
    }

    /// One field and what ended it: leading blanks skipped, then quoted or not.
    private mutating func field() -> FieldEnd {
        while let byte = peek(), Self.isBlank(byte) { advance() }
        let start = (line: line, column: column)
        if row.fields.count == Self.maxFields, row.problem == nil {
            row.problem = (start.line, start.column, "more than \(Self.maxFields) fields in a row; row skipped")
        }
        if row.problem != nil, row.fields.count >= Self.maxFields {
            skipRestOfLine()
            return .rowEnd
        }
        row.bytes.removeAll(keepingCapacity: true)
        if peek() == Self.quote { return quoted(start: start) }
        return unquoted(start: start)
    }

    /// An unquoted field: up to a comma or the line's end, trailing blanks trimmed.
    private mutating func unquoted(start: (line: Int, column: Int)) -> FieldEnd {
        while let byte = peek() {
            if byte == Self.comma || byte == Self.newline { break }
            if takeCarriageReturn() { continue }
            keep(byte, start: start)
            advance()
        }
        while let last = row.bytes.last, Self.isBlank(last) { row.bytes.removeLast() }
        return endField(start: start)
    }

    /// A quoted field: up to its closing quote, with `""` for a quote inside.
    private mutating func quoted(start: (line: Int, column: Int)) -> FieldEnd {
        advance()
        // Where to resume if the quote is never closed: the line after the quote's.
        var resume: (offset: Int, line: Int)?
        while let byte = peek() {
            if byte == Self.quote {
                advance()
                guard peek() == Self.quote else { return afterQuote(start: start, resume: resume) }
            } else if byte == Self.newline, resume == nil {
                resume = (offset + 1, line + 1)
            }
            if resume != nil, row.bytes.count >= Self.maxFieldBytes { return unterminated(start: start, resume: resume) }
            keep(byte, start: start)
            advance()
        }
        return unterminated(start: start, resume: resume)
    }

    /// After a closing quote: blanks, then a comma or the line's end. Anything else is text after
    /// the quote, or, when the field ran over lines, the sign of a quote that was never closed.
    private mutating func afterQuote(start: (line: Int, column: Int), resume: (offset: Int, line: Int)?) -> FieldEnd {
        while let byte = peek() {
            if byte == Self.comma || byte == Self.newline { break }
            if Self.isBlank(byte) || takeCarriageReturn() {
                if Self.isBlank(byte) { advance() }
                continue
            }
            if resume != nil { return unterminated(start: start, resume: resume) }
            if row.problem == nil { row.problem = (line, column, "text after the closing quote of a field; row skipped") }
            skipRestOfLine()
            return .rowEnd
        }
        return endField(start: start)
    }

    /// A quote that was never closed: reported, and reading goes back to the line after it.
    private mutating func unterminated(start: (line: Int, column: Int), resume: (offset: Int, line: Int)?) -> FieldEnd {
        if let resume { rewind(to: resume.offset, line: resume.line) } else { skipRestOfLine() }
        rowsRead += 1
        return .abandoned(.problem(line: start.line, column: start.column, message: "unterminated quoted field (no closing '\"'); row skipped"))
    }

    /// Keeps a byte of the field, unless the field is already too long for the row to be kept.
    private mutating func keep(_ byte: UInt8, start: (line: Int, column: Int)) {
        guard row.bytes.count < Self.maxFieldBytes else {
            if row.problem == nil {
                row.problem = (start.line, start.column, "a field longer than \(Self.maxFieldBytes / 1024) KiB; row skipped")
            }
            return
        }
        row.bytes.append(byte)
    }

    /// The field's bytes become its value; the comma or line feed that ended it is taken.
    private mutating func endField(start: (line: Int, column: Int)) -> FieldEnd {
        let value = String(validating: row.bytes, as: UTF8.self)
        if value == nil, row.problem == nil { row.problem = (start.line, start.column, "not UTF-8 text; row skipped") }
        if row.problem == nil || row.fields.count < Self.maxFields {
            row.fields.append(Field(value: value ?? "", line: start.line, column: start.column))
        }
        guard let byte = peek() else { return .rowEnd }
        advance()
        return byte == Self.comma ? .comma : .rowEnd
    }

    private mutating func skipRestOfLine() {
        while let byte = peek() {
            advance()
            if byte == Self.newline { return }
        }
    }
}
