import Foundation
import NurtureCore
import NurtureDefinitions
import NurturePersonas
@testable import NurtureSimulator
import NurtureTestSupport

/// Histories for the calibration tests: generated from the example's known mixture through the
/// shipped post-webinar sequence, as `examples/calibration/` was.
enum CalibrationKit {
    static let from = utc(2026, 3, 2)
    static let cutoff = utc(2026, 4, 20)

    static func population(_ name: String) throws -> Population {
        let path = PackageFolders.root.appendingPathComponent("examples/calibration/\(name)").path
        let (population, diagnostics) = PersonaLoader.load(path: path)
        guard let population else { throw SimTestKit.LoadFailure(description: diagnostics.sorted.map(\.description).joined(separator: "\n")) }
        return population
    }

    static func history(_ population: Population, leads: Int, seed: UInt64) throws -> (rows: [HistoryGenerator.Row], outcomes: [RecordedOutcome]) {
        HistoryGenerator(
            definitions: try SimTestKit.shippedDefinitions(), sequence: "post-webinar", population: population, leads: leads,
            from: from, arrivalDays: 75, recordDays: 105, seed: seed
        ).generate()
    }

    /// The rows as the command line hands them to calibration.
    static func events(_ rows: [HistoryGenerator.Row], leadPrefix: String = "") -> [RecordedEvent] {
        rows.map { row in
            let kind: RecordedEvent.Kind = switch row.type {
            case "email_sent": .sent
            case "handed_off": .handedOff
            case "email_open": row.category == "machine" ? .machineOpen : .open
            case "email_click": .click
            case "page_visit": .visit
            case "reply": .reply
            case "unsubscribe": .unsubscribe
            case "hard_bounce": .bounce
            default: .other
            }
            return RecordedEvent(lead: leadPrefix + row.lead, at: row.at, kind: kind, step: row.step, category: row.category)
        }
    }

    /// The history as the event log's CSV, as `nurture export` writes it.
    static func csv(_ rows: [HistoryGenerator.Row]) -> String {
        ([RecordedHistoryFile.header] + rows.map {
            RecordedHistoryFile.row(at: $0.at, type: $0.type, category: $0.category, step: $0.step, lead: $0.lead)
        }).joined(separator: "\n") + "\n"
    }
}
