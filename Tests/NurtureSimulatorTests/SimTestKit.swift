import Foundation
import NurtureCore
import NurtureDefinitions
import NurturePersonas
import NurtureSimulator
import NurtureTestSupport

/// Fixtures for the simulator tests: the shipped definitions and personas, and small scenarios
/// built from Core types. Running `nurture` and scratch folders come from NurtureTestSupport.
enum SimTestKit {
    static var sequencesPath: String { PackageFolders.sequences.path }
    static var personasPath: String { PackageFolders.root.appendingPathComponent("examples/personas/b2b-saas.yml").path }

    /// A fixed Monday morning, UTC.
    static let start = Date(timeIntervalSince1970: 1_767_621_600)  // 2026-01-05T14:00:00Z

    // MARK: Shipped definitions

    struct LoadFailure: Error, CustomStringConvertible {
        var description: String
    }

    static func shippedDefinitions() throws -> DefinitionSet {
        let result = DefinitionLoader.load(directory: sequencesPath)
        guard let definitions = result.definitions else {
            throw LoadFailure(description: result.diagnostics.sorted.map(\.description).joined(separator: "\n"))
        }
        return definitions
    }

    static func shippedPopulation() throws -> Population {
        let (population, diagnostics) = PersonaLoader.load(path: personasPath)
        guard let population else {
            throw LoadFailure(description: diagnostics.sorted.map(\.description).joined(separator: "\n"))
        }
        return population
    }

    /// post-webinar on the shipped personas.
    static func shippedSetup(prospects: Int, days: Int = 30, seed: UInt64 = 1) throws -> SimulationSetup {
        SimulationSetup(
            definitions: try shippedDefinitions(), sequence: "post-webinar", population: try shippedPopulation(),
            prospects: prospects, days: days, seed: seed, start: start)
    }

    // MARK: A small scenario from Core types

    static func mix(_ pairs: [(String, Double)]) -> Mix<String> { Mix(pairs)! }

    /// Four emails two days apart, any time of day in the lead's zone, a cap of 3 a week, open and
    /// click points with a cap and a half-life, fit rules and grades, and a hand-off at
    /// `score >= handOff` for fit A or B both in the sequence and in the lifecycle.
    static func smallDefinitions(handOff: Double = 30) -> DefinitionSet {
        let utc = TimeZone(identifier: "UTC")!
        let lifecycle = Lifecycle(
            stages: [
                Stage(id: "lead", name: "Lead", owner: .marketing),
                Stage(id: "mql", name: "MQL", owner: .sales),
                Stage(id: "sal", name: "SAL", owner: .sales),
            ],
            entryStage: "lead", handoffStage: "mql",
            defaultOwner: Rep(name: "Sales queue", email: "sales@example.com"),
            businessHours: SendWindow(days: [.monday, .tuesday, .wednesday, .thursday, .friday],
                                      opens: 9 * 3600, closes: 17 * 3600, timeZone: utc),
            transitions: [
                StageTransition(from: ["lead"], to: "mql", trigger: .condition(
                    .and(.metric(.score, .greaterOrEqual, handOff), .member(.fit, ["A", "B"], negated: false)))),
                StageTransition(from: ["mql"], to: "sal", trigger: .action(RepAction("accept"))),
            ],
            serviceLevels: [ServiceLevel(stage: "mql", owner: .sales, promise: "accept or reject", within: .businessHours(8))])
        let scoring = ScoringModel(
            fitRules: [
                FitRule(attribute: "title", match: .contains(["VP", "Director"]), points: 20),
                FitRule(attribute: "company_size", match: .range(atLeast: 200, atMost: 5000), points: 10),
            ],
            grades: [("A", 25), ("B", 10), ("C", 0)],
            engagement: [
                .emailOpen: EngagementRule(points: 1, cap: .init(points: 3, per: .days(7))),
                .emailClick: EngagementRule(points: 5, categories: ["pricing": 12], cap: .init(points: 30, per: .days(7))),
                .pageVisit: EngagementRule(points: 2, categories: ["pricing": 10]),
                .reply: EngagementRule(points: 20),
                .unsubscribe: EngagementRule(points: -40),
            ],
            halfLife: .days(30))
        var steps: [Step] = []
        for email in 1...4 {
            let index = steps.count
            steps.append(Step(id: "email-\(email)", kind: .email(template: "small/email-\(email)"), next: index + 1))
            if email < 4 { steps.append(Step(id: "wait-\(email)", kind: .wait(.days(2)), next: index + 2)) }
        }
        steps[steps.count - 1].next = nil
        let sequence = NurtureSequence(
            id: "small", audience: .member(.stage, ["lead"], negated: false), sender: .owner,
            sendWindow: SendWindow(days: Set(Weekday.allCases), opens: 8 * 3600, closes: 18 * 3600, timeZone: utc),
            frequencyCap: FrequencyCap(emails: 3, per: .days(7)),
            exits: [.event(.reply), .stageChange(to: ["sal"])],
            thresholds: [
                Threshold(condition: .metric(.score, .greaterOrEqual, 15), action: .notifyRep("warming up")),
                Threshold(condition: .and(.metric(.score, .greaterOrEqual, handOff), .member(.fit, ["A", "B"], negated: false)),
                          action: .handOff(reason: "reached the hand-off score")),
            ],
            steps: steps)
        return DefinitionSet(lifecycle: lifecycle, scoring: scoring, sequences: [sequence])
    }

    /// Three personas over three time zones, with machine opens, bounces, visits and fit attributes.
    static var smallPopulation: Population {
        let fit: [(name: String, mix: Mix<String>)] = [
            ("title", mix([("VP Sales", 0.3), ("Director of RevOps", 0.2), ("Sales Manager", 0.5)])),
            ("company_size", mix([("50", 0.3), ("800", 0.5), ("9000", 0.2)])),
        ]
        let clicks = mix([("pricing", 0.3), ("blog", 0.7)])
        let pages = mix([("pricing", 0.4), ("blog", 0.6)])
        let personas = [
            Persona(id: "keen", share: 0.3, highIntent: true, open: 0.6, click: 0.4, reply: 0.05, unsubscribe: 0.01,
                    bounce: 0.01, machineOpen: 0.1, fatigue: 0.95, clickCategories: clicks, visitsPerDay: 0.3,
                    visitPages: pages, attributes: fit),
            Persona(id: "lukewarm", share: 0.5, open: 0.3, click: 0.15, reply: 0.01, unsubscribe: 0.02, bounce: 0.02,
                    machineOpen: 0.3, fatigue: 0.85, clickCategories: clicks, visitsPerDay: 0.05, visitPages: pages,
                    attributes: fit),
            Persona(id: "dead", share: 0.2, open: 0, click: 0, reply: 0, unsubscribe: 0, bounce: 0.9, attributes: fit),
        ]
        let zones = mix([("America/New_York", 0.5), ("Europe/London", 0.3), ("Asia/Kolkata", 0.2)])
        return Population(personas: personas, timeZones: zones)!
    }

    static func smallSetup(prospects: Int = 3000, days: Int = 14, seed: UInt64 = 7, handOff: Double = 30) -> SimulationSetup {
        SimulationSetup(
            definitions: smallDefinitions(handOff: handOff), sequence: "small", population: smallPopulation,
            prospects: prospects, days: days, seed: seed, start: start, reps: 3, capacityPerRep: 5)
    }

    /// Every key of every object in a JSON document.
    static func jsonKeys(_ json: String) throws -> Set<String> {
        var keys = Set<String>()
        func collect(_ value: Any) {
            if let dictionary = value as? [String: Any] {
                keys.formUnion(dictionary.keys)
                dictionary.values.forEach(collect)
            } else if let array = value as? [Any] {
                array.forEach(collect)
            }
        }
        collect(try JSONSerialization.jsonObject(with: Data(json.utf8)))
        return keys
    }

    /// docs/simulation-report.md, which documents the JSON forms.
    static func reportDocs() throws -> String {
        try String(contentsOf: PackageFolders.root.appendingPathComponent("docs/simulation-report.md"), encoding: .utf8)
    }
}
