import ArgumentParser
import Foundation
import NurtureCore
import NurtureDefinitions
import NurtureOperations
import NurtureStore

/// What the sales-loop commands share: the store, the definitions whose lifecycle they apply, and
/// the time the action happened.
struct LoopOptions: ParsableArguments {
    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: ArgumentHelp("The definitions folder (lifecycle.yml...).", valueName: "folder"))
    var definitions: String = "sequences"

    /// The definitions and the store (a SQLite file or a PostgreSQL URL): read-only for a command
    /// that only reports.
    func open(readOnly: Bool = false) throws -> (any SharedStore, DefinitionSet) {
        let definitions = try DefinitionsFolder.load(definitions).0
        return (try store.openShared(readOnly ? .reading : .existing), definitions)
    }
}

/// A time given on the command line: ISO 8601 with an offset (`2026-03-04T15:00:00-05:00`), or a
/// date (`2026-03-04`, midnight UTC). Bounded to the years 2000 to 2200: a typo must not create a
/// record in the year 99999.
enum Instant {
    static func parse(_ argument: String) throws -> Date {
        let text = argument.trimmingCharacters(in: .whitespaces)
        var parsed = Timestamp.parse(text)
        if parsed == nil, text.count == 10 {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withFullDate]
            parsed = formatter.date(from: text)
        }
        guard let parsed else {
            throw ValidationError("not a time: write 2026-03-04 or 2026-03-04T15:00:00-05:00")
        }
        guard parsed.timeIntervalSince1970 >= 946_684_800, parsed.timeIntervalSince1970 < 7_258_118_400 else {
            throw ValidationError("a time between the years 2000 and 2200, please")
        }
        return parsed
    }
}

/// A hand-off or request id: a whole number from 1.
enum HandOffID {
    static func parse(_ argument: String) throws -> Int64 {
        guard let value = Int64(argument), value > 0 else { throw ValidationError("an id is a whole number from 1") }
        return value
    }
}

extension OperationError {
    /// The refusal as the command's error: one line, exit code 64.
    var validation: ValidationError { ValidationError(description) }
}

/// Runs an operation, turning its refusal into the command's error.
func refusing<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as OperationError {
        throw error.validation
    }
}
