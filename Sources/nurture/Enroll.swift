import ArgumentParser
import Foundation
import NurtureCore
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
        let store = try store.openExisting()
        let now = Date()
        var ids: [String] = []
        if let lead {
            guard let id = try store.leadID(for: lead) else { throw ValidationError("no lead '\(lead)' in the store") }
            ids = [id]
        } else if let condition {
            let parsed: Condition
            do {
                parsed = try ConditionParser.parse(condition)
            } catch {
                throw ValidationError("--where: \(error.message) (at character \(error.offset + 1))")
            }
            let engine = Engine(definitions)
            try store.forEachLead { lead, state in
                let facts = engine.facts(state ?? engine.start(lead, at: now), lead: lead, at: now)
                if parsed.evaluate(facts) { ids.append(lead.id) }
            }
        }
        let items = ids.map { InboxItem.enrollment(in: sequence.id, leadID: $0, at: now) }
        let added = try store.append(items)
        print("\(added) enrollment request\(added == 1 ? "" : "s") for \(sequence.id); the scheduler applies them on its next pass")
    }
}
