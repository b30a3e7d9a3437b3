import Foundation
import NurtureCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Leads as a CSV with a header row: `id`, `email`, `time_zone`, `stage`, `owner_name`,
/// `owner_email`, `owner_title`, `owner_phone`; every other column is a lead attribute
/// (`first_name`, `company`, `company_size`...). A column whose name looks like a misspelt known
/// one (`emial`, `timezone`) is kept as an attribute too, with a warning that suggests the name.
///
/// Each bad row is reported with its line and column and skipped; the good rows are kept.
public enum LeadTable {
    /// The columns that are lead fields rather than attributes.
    public static let knownColumns = ["id", "email", "time_zone", "stage", "owner_name", "owner_email", "owner_title", "owner_phone"]

    public static func load(path: String) -> (leads: [Lead], diagnostics: Diagnostics) {
        var leads: [Lead] = []
        let diagnostics = read(path: path) { leads.append($0) }
        return (leads, diagnostics)
    }

    /// Streams the file row by row, handing each good lead to `each`, so a file of any size is read
    /// in constant memory. Returns the problems found.
    @discardableResult
    public static func read(path: String, each: (Lead) throws -> Void) rethrows -> Diagnostics {
        var diagnostics = Diagnostics()
        guard let reader = CSVFileReader(path: path) else {
            diagnostics.append(TextFile.unreadable(path: path))
            return diagnostics
        }
        var header: [String]?
        while let item = reader.next() {
            switch item {
            case let .problem(line, column, message):
                diagnostics.append(.init(.error, file: path, line: line, column: column, message: message))
            case let .record(record):
                if record.fields.allSatisfy(\.value.isEmpty) { continue }
                guard let names = header else {
                    header = record.fields.map(\.value)
                    checkHeader(record, file: path, into: &diagnostics)
                    guard record.fields.contains(where: { $0.value == "email" }) else { return diagnostics }
                    continue
                }
                guard record.fields.count == names.count else {
                    let column = record.fields.count > names.count ? record.fields[names.count].column : 1
                    let line = record.fields.count > names.count ? record.fields[names.count].line : record.line
                    diagnostics.append(.init(
                        .error, file: path, line: line, column: column,
                        message: "expected \(names.count) fields, found \(record.fields.count); row skipped"))
                    continue
                }
                switch lead(Array(zip(names, record.fields.map(\.value)))) {
                case let .success(lead): try each(lead)
                case let .failure(problem):
                    let field = problem.index.map { record.fields[$0] }
                    diagnostics.append(.init(
                        .error, file: path, line: field?.line ?? record.line, column: field?.column ?? 1,
                        message: "\(problem.message); row skipped"))
                }
            }
        }
        if header == nil, !diagnostics.hasErrors {
            diagnostics.append(.init(.error, file: path, line: 1, column: 1, message: "no header row: the file is empty"))
        }
        return diagnostics
    }

    /// Reports a missing `email` column, unnamed and repeated columns, and names that look like a
    /// misspelt known column.
    static func checkHeader(_ record: CSVFileReader.Record, file: String, into diagnostics: inout Diagnostics) {
        var seen = Set<String>()
        for field in record.fields {
            let name = field.value
            if name.isEmpty {
                diagnostics.append(.init(.warning, file: file, line: field.line, column: field.column,
                                         message: "a column without a name; its values are ignored"))
                continue
            }
            if !seen.insert(name).inserted {
                diagnostics.append(.init(.warning, file: file, line: field.line, column: field.column,
                                         message: "column '\(name)' appears twice; the last one wins"))
            }
            if let suggestion = suggestion(for: name) {
                diagnostics.append(.init(
                    .warning, file: file, line: field.line, column: field.column,
                    message: "unknown column '\(name)' is kept as a lead attribute; did you mean '\(suggestion)'?"))
            }
        }
        if !seen.contains("email") {
            let near = record.fields.first { suggestion(for: $0.value) == "email" }
            diagnostics.append(.init(
                .error, file: file, line: near?.line ?? record.line, column: near?.column ?? 1,
                message: "missing column 'email'" + (near.map { " ('\($0.value)' is not it: the name must be exactly 'email')" } ?? "")))
        }
    }

    /// The known column a name probably meant: one at most two edits away (fewer for short names),
    /// ignoring case. Nil for known names and for names that are simply different.
    public static func suggestion(for name: String) -> String? {
        guard !name.isEmpty, !knownColumns.contains(name) else { return nil }
        let lowered = Array(name.lowercased().unicodeScalars)
        var best: (name: String, distance: Int)?
        for known in knownColumns {
            let target = Array(known.unicodeScalars)
            // A name that shares nothing with a two-letter column is not a misspelling of it.
            let limit = min(2, target.count - 1)
            guard abs(lowered.count - target.count) <= limit else { continue }
            let distance = EditDistance.between(lowered, target)
            if distance <= limit, distance < (best?.distance ?? .max) { best = (known, distance) }
        }
        return best?.name
    }

    struct Problem: Error {
        /// The field at fault, by position in the row; nil for the row as a whole.
        var index: Int?
        var message: String
    }

    static func lead(_ fields: [(String, String)]) -> Result<Lead, Problem> {
        var lead = Lead(id: "", email: "")
        var owner: (name: String?, email: String?, title: String?, phone: String?)
        var emailIndex: Int?
        for (index, (column, value)) in fields.enumerated() {
            if column == "email" { emailIndex = index }
            guard !value.isEmpty, !column.isEmpty else { continue }
            switch column {
            case "id": lead.id = value
            case "email":
                guard EmailAddress.isPlausible(value) else { return .failure(Problem(index: index, message: "'\(value)' is not an email address")) }
                lead.email = value
            case "time_zone":
                guard let zone = ZoneName.zone(named: value) else {
                    return .failure(Problem(index: index, message: "unknown time zone '\(value)'"))
                }
                lead.timeZone = zone
            case "stage": lead.stage = value
            case "owner_name": owner.name = value
            case "owner_email":
                guard EmailAddress.isPlausible(value) else { return .failure(Problem(index: index, message: "'\(value)' is not an email address")) }
                owner.email = value
            case "owner_title": owner.title = value
            case "owner_phone": owner.phone = value
            default: lead.attributes[column] = value
            }
        }
        guard !lead.email.isEmpty else { return .failure(Problem(index: emailIndex, message: "missing email")) }
        if lead.id.isEmpty { lead.id = lead.email }
        if let email = owner.email {
            lead.owner = Rep(name: owner.name ?? email, email: email, title: owner.title, phone: owner.phone)
        }
        return .success(lead)
    }
}

/// RFC 4180 CSV read from a file in fixed-size chunks, so memory stays flat whatever the file's
/// size, with the line and column where each field starts (a quoted field may span lines).
///
/// Fields are trimmed of spaces and tabs outside quotes; a UTF-8 byte order mark is skipped. A
/// malformed row is reported instead of returned, and reading goes on with the next row:
///
/// - text after a closing quote (`"Smith" Jr`): the rest of the line is skipped;
/// - a quote that is never closed: reading resumes on the line after the one where the quote
///   opened, instead of the rest of the file becoming one field. A quoted field that runs over
///   lines and then into text after its "closing" quote, or that grows past ``maxField``, is taken
///   for one.
final class CSVFileReader {
    struct Field {
        var value: String
        var line: Int
        var column: Int
    }

    struct Record {
        var line: Int
        var fields: [Field]
    }

    enum Item {
        case record(Record)
        case problem(line: Int, column: Int, message: String)
    }

    static let chunkSize = 1 << 18
    /// A quoted field longer than this is taken for an unterminated quote.
    static let maxField = 1 << 20

    private let descriptor: Int32
    private let buffer: UnsafeMutablePointer<UInt8>
    /// Valid bytes in the buffer, the next one to read, and the file offset of the buffer's start.
    private var count = 0
    private var position = 0
    private var bufferOffset: Int64 = 0
    private var line = 1
    private var column = 1
    private var finished = false
    private var startedFile = false

    init?(path: String) {
        var info = stat()
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        buffer = .allocate(capacity: Self.chunkSize)
    }

    deinit {
        buffer.deallocate()
        close(descriptor)
    }

    private enum State {
        case fieldStart, unquoted, quoted, quoteSeen, afterQuoted, skipping
    }

    private static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n")
    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), carriageReturn = UInt8(ascii: "\r")

    private static func isBlank(_ byte: UInt8) -> Bool { byte == space || byte == tab || byte == carriageReturn }

    /// The next record or problem; nil at the end of the file.
    func next() -> Item? {
        guard !finished else { return nil }
        let buf = buffer
        var pos = position, count = count, line = line, column = column, bufferOffset = bufferOffset
        var state = State.fieldStart
        var started = false
        var fields: [Field] = []
        var bytes: [UInt8] = []
        var spanStart = -1
        var fieldLine = line, fieldColumn = column
        let recordLine = line
        var quoteLine = 0, quoteColumn = 0
        // Where to resume after an unterminated quote: the start of the line after the quote's.
        var resumeOffset: Int64 = -1, resumeLine = 0
        var problem: (line: Int, column: Int, message: String)?

        func save() {
            self.position = pos
            self.count = count
            self.line = line
            self.column = column
            self.bufferOffset = bufferOffset
        }

        func endField(upTo end: Int, trim: Bool) {
            var value: String?
            if spanStart >= 0, bytes.isEmpty {
                var stop = end
                if trim { while stop > spanStart, Self.isBlank(buf[stop - 1]) { stop -= 1 } }
                value = String(validating: UnsafeBufferPointer(start: buf + spanStart, count: stop - spanStart), as: UTF8.self)
            } else {
                if spanStart >= 0 { bytes.append(contentsOf: UnsafeBufferPointer(start: buf + spanStart, count: end - spanStart)) }
                if trim { while let last = bytes.last, Self.isBlank(last) { bytes.removeLast() } }
                value = String(validating: bytes, as: UTF8.self)
            }
            spanStart = -1
            bytes.removeAll(keepingCapacity: true)
            if value == nil, problem == nil {
                problem = (fieldLine, fieldColumn, "not UTF-8 text; row skipped")
            }
            fields.append(Field(value: value ?? "", line: fieldLine, column: fieldColumn))
        }

        func finish() -> Item {
            if let problem { return .problem(line: problem.line, column: problem.column, message: problem.message) }
            return .record(Record(line: recordLine, fields: fields))
        }

        /// The end of a row: the line break is consumed and the row handed over.
        func endRow() -> Item {
            line += 1
            column = 1
            pos += 1
            save()
            return finish()
        }

        func markFieldStart() {
            fieldLine = line
            fieldColumn = column
        }

        /// Text after a field's closing quote. When the field ran over lines, its opening quote was
        /// most likely never closed and the lines it swallowed are rows of their own; otherwise the
        /// row is skipped.
        func textAfterClosingQuote() -> Item? {
            if resumeOffset >= 0 { return unterminated() }
            if problem == nil { problem = (line, column, "text after the closing quote of a field; row skipped") }
            state = .skipping
            return nil
        }

        /// A quote that was never closed: report it and go back to the line after it.
        func unterminated() -> Item? {
            let item = Item.problem(
                line: quoteLine, column: quoteColumn,
                message: "unterminated quoted field (no closing '\"'); row skipped")
            guard resumeOffset >= 0 else {
                // The quote's line is the file's last: nothing to go back to.
                finished = true
                save()
                return item
            }
            lseek(descriptor, off_t(resumeOffset), SEEK_SET)
            bufferOffset = resumeOffset
            count = 0
            pos = 0
            line = resumeLine
            column = 1
            save()
            return item
        }

        while true {
            if pos == count {
                if spanStart >= 0 {
                    bytes.append(contentsOf: UnsafeBufferPointer(start: buf + spanStart, count: count - spanStart))
                    spanStart = 0
                }
                if state == .quoted, bytes.count > Self.maxField { return unterminated() }
                if bytes.count > Self.maxField, problem == nil {
                    problem = (fieldLine, fieldColumn, "a field longer than \(Self.maxField / 1024) KiB; row skipped")
                    state = .skipping
                    spanStart = -1
                    bytes.removeAll()
                }
                bufferOffset += Int64(count)
                let got = read(descriptor, buf, Self.chunkSize)
                if got <= 0 {
                    // The end of the file (or a read error, reported as such).
                    count = 0
                    pos = 0
                    if got < 0 {
                        finished = true
                        save()
                        return .problem(line: line, column: column, message: "cannot read the file: errno \(errno)")
                    }
                    if state == .quoted { return unterminated() }
                    finished = true
                    save()
                    switch state {
                    case .fieldStart:
                        guard started else { return nil }
                        markFieldStart()
                        endField(upTo: 0, trim: false)
                    case .unquoted: endField(upTo: 0, trim: true)
                    case .quoteSeen, .afterQuoted: endField(upTo: 0, trim: false)
                    case .quoted, .skipping: break
                    }
                    return finish()
                }
                count = got
                pos = 0
                if spanStart >= 0 { spanStart = 0 }
                if !startedFile {
                    startedFile = true
                    if count >= 3, buf[0] == 0xEF, buf[1] == 0xBB, buf[2] == 0xBF { pos = 3 }
                    if count >= 2, (buf[0] == 0xFF && buf[1] == 0xFE) || (buf[0] == 0xFE && buf[1] == 0xFF) {
                        finished = true
                        save()
                        return .problem(line: 1, column: 1, message: "the file is UTF-16 text; save it as UTF-8 (CSV UTF-8)")
                    }
                }
                continue
            }

            let byte = buf[pos]
            started = true
            switch state {
            case .fieldStart:
                if byte == Self.newline {
                    markFieldStart()
                    endField(upTo: pos, trim: false)
                    return endRow()
                } else if Self.isBlank(byte) {
                    break
                } else if byte == Self.comma {
                    markFieldStart()
                    endField(upTo: pos, trim: false)
                } else if byte == Self.quote {
                    state = .quoted
                    markFieldStart()
                    quoteLine = line
                    quoteColumn = column
                    resumeOffset = -1
                    spanStart = pos + 1
                } else {
                    state = .unquoted
                    markFieldStart()
                    spanStart = pos
                }
            case .unquoted:
                if byte == Self.comma {
                    endField(upTo: pos, trim: true)
                    state = .fieldStart
                } else if byte == Self.newline {
                    endField(upTo: pos, trim: true)
                    return endRow()
                }
            case .quoted:
                if byte == Self.quote {
                    if spanStart >= 0 {
                        bytes.append(contentsOf: UnsafeBufferPointer(start: buf + spanStart, count: pos - spanStart))
                    }
                    spanStart = -1
                    state = .quoteSeen
                } else if byte == Self.newline, resumeOffset < 0 {
                    resumeOffset = bufferOffset + Int64(pos) + 1
                    resumeLine = line + 1
                }
            case .quoteSeen:
                if byte == Self.quote {
                    // An escaped quote: it starts the next stretch of the field.
                    spanStart = pos
                    state = .quoted
                } else if byte == Self.comma {
                    endField(upTo: pos, trim: false)
                    state = .fieldStart
                } else if byte == Self.newline {
                    endField(upTo: pos, trim: false)
                    return endRow()
                } else if Self.isBlank(byte) {
                    state = .afterQuoted
                } else if let item = textAfterClosingQuote() {
                    return item
                }
            case .afterQuoted:
                if byte == Self.comma {
                    endField(upTo: pos, trim: false)
                    state = .fieldStart
                } else if byte == Self.newline {
                    endField(upTo: pos, trim: false)
                    return endRow()
                } else if !Self.isBlank(byte), let item = textAfterClosingQuote() {
                    return item
                }
            case .skipping:
                if byte == Self.newline {
                    return endRow()
                }
            }
            if byte == Self.newline {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            pos += 1
        }
    }
}
