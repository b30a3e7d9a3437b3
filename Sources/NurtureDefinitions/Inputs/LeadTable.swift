import CSV
import Foundation
import NurtureCore

/// Leads as a CSV with a header row: `id`, `email`, `time_zone`, `stage`, `owner_name`,
/// `owner_email`, `owner_title`, `owner_phone`; every other column is a lead attribute
/// (`first_name`, `company`, `company_size`...).
///
/// Each bad row is reported with its line and column and skipped; the good rows are kept.
public enum LeadTable {
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
        guard let stream = InputStream(fileAtPath: path) else {
            diagnostics.append(.init(.error, file: path, line: 0, column: 0, message: "cannot read the file"))
            return diagnostics
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(stream: stream, hasHeaderRow: true, trimFields: true)
        } catch {
            diagnostics.append(.init(.error, file: path, line: 1, column: 1, message: "not CSV: \(error)"))
            return diagnostics
        }
        let header = reader.headerRow ?? []
        guard header.contains("email") else {
            diagnostics.append(.init(.error, file: path, line: 1, column: 1, message: "missing column 'email'"))
            return diagnostics
        }
        var line = 1
        while let values = reader.next() {
            line += 1
            if values.allSatisfy(\.isEmpty) { continue }
            guard values.count == header.count else {
                diagnostics.append(.init(
                    .error, file: path, line: line, column: 1,
                    message: "expected \(header.count) fields, found \(values.count); row skipped"))
                continue
            }
            switch lead(Array(zip(header, values))) {
            case let .success(lead): try each(lead)
            case let .failure(problem):
                let column = (header.firstIndex(of: problem.field) ?? 0) + 1
                diagnostics.append(.init(.error, file: path, line: line, column: column, message: "\(problem.message); row skipped"))
            }
        }
        // On Linux a file stream can claim more bytes at its very end; the reader then reports
        // `cannotReadFile` after the last row, which is the end of the file, not a fault.
        if let error = reader.error, !Self.isEndOfFile(error) {
            diagnostics.append(.init(.error, file: path, line: line + 1, column: 1, message: "malformed CSV: \(error)"))
        }
        return diagnostics
    }

    static func isEndOfFile(_ error: Error) -> Bool {
        if case .cannotReadFile? = error as? CSVError { true } else { false }
    }

    struct Problem: Error {
        var field: String
        var message: String
    }

    static func lead(_ fields: [(String, String)]) -> Result<Lead, Problem> {
        var lead = Lead(id: "", email: "")
        var owner: (name: String?, email: String?, title: String?, phone: String?)
        for (column, value) in fields where !value.isEmpty {
            switch column {
            case "id": lead.id = value
            case "email":
                guard EmailAddress.isPlausible(value) else { return .failure(Problem(field: column, message: "'\(value)' is not an email address")) }
                lead.email = value
            case "time_zone":
                guard let zone = TimeZone(identifier: value), value.contains("/") || value == "UTC" else {
                    return .failure(Problem(field: column, message: "unknown time zone '\(value)'"))
                }
                lead.timeZone = zone
            case "stage": lead.stage = value
            case "owner_name": owner.name = value
            case "owner_email":
                guard EmailAddress.isPlausible(value) else { return .failure(Problem(field: column, message: "'\(value)' is not an email address")) }
                owner.email = value
            case "owner_title": owner.title = value
            case "owner_phone": owner.phone = value
            default: lead.attributes[column] = value
            }
        }
        guard !lead.email.isEmpty else { return .failure(Problem(field: "email", message: "missing email")) }
        if lead.id.isEmpty { lead.id = lead.email }
        if let email = owner.email {
            lead.owner = Rep(name: owner.name ?? email, email: email, title: owner.title, phone: owner.phone)
        }
        return .success(lead)
    }
}
