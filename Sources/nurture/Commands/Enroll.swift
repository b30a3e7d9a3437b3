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

    @Option(help: ArgumentHelp(
        "With --where: start at most this many leads per business day (lifecycle.yml's business hours), highest score first; default: the sequence's pace:, if any.",
        valueName: "N/day"))
    var pace: String?

    @Option(help: ArgumentHelp("With --where: spread the starts evenly over this many business days.", valueName: "Nd"))
    var over: String?

    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard (lead == nil) != (condition == nil) else { throw ValidationError("give exactly one of --lead or --where") }
        guard pace == nil || over == nil else { throw ValidationError("give --pace or --over, not both") }
        guard condition != nil || (pace == nil && over == nil) else { throw ValidationError("--pace and --over pace a --where enrolment") }
        _ = try enrollmentPace()
    }

    func enrollmentPace() throws -> EnrollmentPace? {
        do {
            return try pace.map(EnrollmentPace.parse(pace:)) ?? over.map(EnrollmentPace.parse(over:))
        } catch {
            throw ValidationError(pace != nil ? "--pace: \(error)" : "--over: \(error)")
        }
    }

    func run() throws {
        let (definitions, sequence) = try selection.load()
        let desk = EnrollmentDesk(store: try store.openShared(.existing), definitions: definitions)
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
                added = try desk.enroll(where: parsed, in: sequence.id, at: now, pace: try enrollmentPace() ?? sequence.pace)
            }
        } catch let error as OperationError {
            throw ValidationError(error.description)
        }
        let pace = condition == nil ? nil : try enrollmentPace() ?? sequence.pace
        let paced = pace != nil ? ", each at its paced start ('nurture status' counts those still waiting)" : " on its next pass"
        print("\(added) enrollment request\(added == 1 ? "" : "s") for \(sequence.id); the scheduler applies them\(paced)")
    }
}
