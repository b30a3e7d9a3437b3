import Foundation
import NurtureCore

/// Leads as a CSV with a header row: `id`, `email`, `time_zone`, `stage`, `owner_name`,
/// `owner_email`, `owner_title`, `owner_phone`; every other column is a lead attribute
/// (`first_name`, `company`, `company_size`...). A column whose name looks like a misspelt known
/// one (`emial`, `timezone`) is kept as an attribute too, with a warning that suggests the name.
///
/// Each bad row is reported with its line and column and skipped; the good rows are kept.
public enum LeadTable {
    /// The columns that are lead fields rather than attributes.
    public static let knownColumns = ["id", "email", "time_zone", "stage", "owner_name", "owner_email", "owner_title", "owner_phone"]

    public static func load(path: String, stages: [String]? = nil) -> (leads: [Lead], diagnostics: Diagnostics) {
        var leads: [Lead] = []
        let diagnostics = read(path: path, stages: stages) { leads.append($0) }
        return (leads, diagnostics)
    }

    /// Streams the file row by row, handing each good lead to `each`, so a file of any size is read
    /// in constant memory. Returns the problems found. A lead in a stage that is not in `stages`
    /// (the lifecycle's, when given) is refused.
    @discardableResult
    public static func read(path: String, stages: [String]? = nil, each: (Lead) throws -> Void) rethrows -> Diagnostics {
        var diagnostics = Diagnostics()
        let file: OpenFile
        switch TextFile.openRegular(path: path) {
        case let .success(opened): file = opened
        case let .failure(problem):
            diagnostics.append(problem.diagnostic)
            return diagnostics
        }
        var reader = CSVReader(file: file)
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
                if let problem = record.widthProblem(expected: names.count) {
                    diagnostics.append(.init(.error, file: path, line: problem.line, column: problem.column, message: problem.message))
                    continue
                }
                switch lead(Array(zip(names, record.fields.map(\.value))), stages: stages) {
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
    static func checkHeader(_ record: CSVReader.Record, file: String, into diagnostics: inout Diagnostics) {
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

    static func lead(_ fields: [(String, String)], stages: [String]? = nil) -> Result<Lead, Problem> {
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
            case "stage":
                if let stages, !stages.contains(value) {
                    return .failure(Problem(index: index, message: "unknown stage '\(value)'; the lifecycle's stages are \(stages.joined(separator: ", "))"))
                }
                lead.stage = value
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
