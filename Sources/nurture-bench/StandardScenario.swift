import Foundation
import NurtureCore
import NurturePersonas

/// The benchmark's standard scenario: a six-email sequence with three-day waits, a Tuesday-to-
/// Thursday send window in each lead's zone, a frequency cap, a hand-off threshold, and a
/// five-persona population spread over five time zones.
enum StandardScenario {
    static let newYork = TimeZone(identifier: "America/New_York")!

    static var definitions: DefinitionSet {
        let lifecycle = Lifecycle(
            stages: [
                Stage(id: "lead", name: "Lead", owner: .marketing),
                Stage(id: "mql", name: "MQL", owner: .marketing),
                Stage(id: "sal", name: "SAL", owner: .sales),
            ],
            entryStage: "lead", handoffStage: "mql",
            defaultOwner: Rep(name: "Sales queue", email: "sales@example.com"),
            businessHours: SendWindow(days: [.monday, .tuesday, .wednesday, .thursday, .friday],
                                      opens: 9 * 3600, closes: 17 * 3600, timeZone: newYork),
            transitions: [StageTransition(from: ["mql"], to: "sal", trigger: .action(RepAction("accept")))],
            serviceLevels: [ServiceLevel(stage: "mql", owner: .sales, promise: "accept or reject", within: .businessHours(8))])
        let scoring = ScoringModel(
            fitRules: [
                FitRule(attribute: "title", match: .contains(["VP", "Director", "Head of"]), points: 20),
                FitRule(attribute: "company_size", match: .range(atLeast: 200, atMost: 5000), points: 15),
            ],
            grades: [("A", 30), ("B", 15), ("C", 0)],
            engagement: [
                .emailOpen: EngagementRule(points: 1, cap: .init(points: 3, per: .days(7))),
                .emailClick: EngagementRule(points: 5, categories: ["pricing": 15, "case-study": 8],
                                            cap: .init(points: 30, per: .days(7))),
                .pageVisit: EngagementRule(points: 2, categories: ["pricing": 12, "demo": 15]),
                .reply: EngagementRule(points: 20),
                .unsubscribe: EngagementRule(points: -40),
            ],
            halfLife: .days(30))
        var steps: [Step] = []
        for email in 1...6 {
            let index = steps.count
            steps.append(Step(id: "email-\(email)", kind: .email(template: "bench/email-\(email)"), next: index + 1))
            if email < 6 { steps.append(Step(id: "wait-\(email)", kind: .wait(.days(3)), next: index + 2)) }
        }
        steps[steps.count - 1].next = nil
        let sequence = NurtureSequence(
            id: "standard", audience: .member(.stage, ["lead"], negated: false), sender: .owner,
            sendWindow: SendWindow(days: [.tuesday, .wednesday, .thursday], opens: 9 * 3600, closes: 16 * 3600, timeZone: newYork),
            frequencyCap: FrequencyCap(emails: 3, per: .days(7)),
            exits: [.event(.reply), .stageChange(to: ["sal"])],
            thresholds: [Threshold(condition: .and(.metric(.score, .greaterOrEqual, 60), .member(.fit, ["A", "B"], negated: false)),
                                   action: .handOff(reason: "reached 60"))],
            steps: steps)
        return DefinitionSet(lifecycle: lifecycle, scoring: scoring, sequences: [sequence])
    }

    static var population: Population {
        func mix(_ pairs: [(String, Double)]) -> Mix<String> { Mix(pairs)! }
        let fit: [(name: String, mix: Mix<String>)] = [
            ("title", mix([("VP Sales", 0.2), ("Director of RevOps", 0.2), ("Sales Manager", 0.6)])),
            ("company_size", mix([("50", 0.3), ("800", 0.5), ("9000", 0.2)])),
        ]
        let clicks = mix([("pricing", 0.2), ("case-study", 0.4), ("blog", 0.4)])
        let pages = mix([("pricing", 0.3), ("demo", 0.1), ("blog", 0.6)])
        let personas = [
            Persona(id: "evaluator", share: 0.1, highIntent: true, open: 0.6, click: 0.4, reply: 0.05, unsubscribe: 0.003,
                    bounce: 0.005, machineOpen: 0.1, fatigue: 0.95, clickCategories: clicks, visitsPerDay: 0.2,
                    visitPages: pages, attributes: fit),
            Persona(id: "researcher", share: 0.25, open: 0.45, click: 0.2, reply: 0.01, unsubscribe: 0.005, bounce: 0.01,
                    machineOpen: 0.1, fatigue: 0.9, clickCategories: clicks, visitsPerDay: 0.05, visitPages: pages,
                    attributes: fit),
            Persona(id: "passive", share: 0.4, open: 0.2, click: 0.05, reply: 0.002, unsubscribe: 0.01, bounce: 0.015,
                    machineOpen: 0.15, fatigue: 0.8, clickCategories: clicks, attributes: fit),
            Persona(id: "proxy", share: 0.15, open: 0.15, click: 0.1, reply: 0.002, unsubscribe: 0.005, bounce: 0.005,
                    machineOpen: 0.97, fatigue: 0.9, clickCategories: clicks, attributes: fit),
            Persona(id: "dead", share: 0.1, open: 0, click: 0, reply: 0, unsubscribe: 0, bounce: 0.9, attributes: fit),
        ]
        let zones = mix([("America/New_York", 0.4), ("America/Chicago", 0.2), ("America/Los_Angeles", 0.15),
                         ("Europe/London", 0.15), ("Asia/Kolkata", 0.1)])
        return Population(personas: personas, timeZones: zones)!
    }
}
