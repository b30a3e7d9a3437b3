import ArgumentParser
import Foundation
import NurtureCore
import NurtureOperations
import NurtureStore

struct Enroll: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask for leads to be enrolled in a sequence; the scheduler applies the audience and re-entry rules.")

    @OptionGroup var selection: SequenceSelection

    @Option(help: ArgumentHelp("One lead, by email or id.", valueName: "email-or-id"))
    var lead: String?

    @Option(name: .customLong("where"), help: ArgumentHelp(
        "Every lead matching a condition, e.g. \"stage == lead and fit in [A, B]\".",
        valueName: "condition"))
    var condition: String?

    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard (lead == nil) != (condition == nil) else { throw ValidationError("give exactly one of --lead or --where") }
    }

    func run() throws {
        let (definitions, sequence) = try selection.load()
        let desk = EnrollmentDesk(store: try store.openExisting(), definitions: definitions)
        let now = Date()
        let added: Int
        do {
            if let lead {
                added = try desk.enroll(lead: lead, in: sequence.id, at: now)
            } else {
                let parsed: Condition
                do {
                    parsed = try ConditionParser.parse(condition ?? "")
                } catch {
                    throw ValidationError("--where: \(error.message) (at character \(error.offset + 1))")
                }
                added = try desk.enroll(where: parsed, in: sequence.id, at: now)
            }
        } catch let error as OperationError {
            throw ValidationError(error.description)
        }
        print("\(added) enrollment request\(added == 1 ? "" : "s") for \(sequence.id); the scheduler applies them on its next pass")
    }
}
