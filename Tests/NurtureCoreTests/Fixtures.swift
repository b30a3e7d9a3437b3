import Foundation
import NurtureTestSupport
@testable import NurtureCore

// Shared fixtures: a lifecycle, a scoring model and small sequences built directly from Core types
// (no YAML), plus helpers to run the engine and read its effects.

enum Zone {
    static let newYork = TimeZone(identifier: "America/New_York")!
    static let sydney = TimeZone(identifier: "Australia/Sydney")!
    static let kolkata = TimeZone(identifier: "Asia/Kolkata")!
    static let utc = TimeZone(identifier: "UTC")!
}

/// Local wall-clock seconds since 1970-01-01 00:00 (as `ZoneClock` counts them) for a wall-clock time.
func localSeconds(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Int64 {
    Int64(utc(year, month, day, hour, minute).timeIntervalSince1970)
}

extension Date {
    func plus(days: Double = 0, hours: Double = 0, minutes: Double = 0) -> Date {
        addingTimeInterval(days * 86_400 + hours * 3600 + minutes * 60)
    }
}

func span(_ text: String) -> TimeSpan {
    guard let span = TimeSpan(parsing: text) else { fatalError("bad span \(text)") }
    return span
}

func condition(_ text: String) -> Condition {
    do { return try ConditionParser.parse(text) } catch { fatalError("bad condition \(text): \(error)") }
}

func window(_ days: [Weekday], _ hours: String, _ zone: TimeZone) -> SendWindow {
    let (opens, closes) = SendWindow.parseHours(hours)!
    return SendWindow(days: Set(days), opens: opens, closes: closes, timeZone: zone)
}

let weekdays: [Weekday] = [.monday, .tuesday, .wednesday, .thursday, .friday]

enum Reps {
    static let sdr = Rep(name: "Sales Development", email: "sdr-queue@example.com")
    static let maya = Rep(name: "Maya Chen", email: "maya@example.com")
    static let dana = Rep(name: "Dana Ortiz", email: "dana@example.com", title: "Account Executive")
}

// MARK: Steps by id

/// A step written with step ids, resolved to indices by ``sequence(_:...)`` the way the loader does:
/// without `next:` a step is followed by the next one in the list, the last one by nothing.
struct StepSpec: Sendable {
    enum Kind: Sendable {
        case email(String)
        case wait(String)
        case waitFor(String, upTo: String, onEvent: String)
        case branch([Case], otherwise: String)
        case score(Double, reason: String)
        case repTask(String, due: String?)
        case notifyRep(String)
        case handOff(String)
        case end
    }

    struct Case: Sendable {
        var condition: String
        var goto: String
    }

    var id: String
    var kind: Kind
    var next: String?

    static func email(_ id: String, _ template: String? = nil, next: String? = nil) -> StepSpec {
        StepSpec(id: id, kind: .email(template ?? "t/\(id)"), next: next)
    }
    static func wait(_ id: String, _ span: String, next: String? = nil) -> StepSpec {
        StepSpec(id: id, kind: .wait(span), next: next)
    }
    static func waitFor(_ id: String, _ condition: String, upTo: String, onEvent: String, next: String? = nil) -> StepSpec {
        StepSpec(id: id, kind: .waitFor(condition, upTo: upTo, onEvent: onEvent), next: next)
    }
    static func branch(_ id: String, _ cases: [(String, String)], otherwise: String) -> StepSpec {
        StepSpec(id: id, kind: .branch(cases.map { Case(condition: $0.0, goto: $0.1) }, otherwise: otherwise), next: nil)
    }
    static func score(_ id: String, _ points: Double, reason: String, next: String? = nil) -> StepSpec {
        StepSpec(id: id, kind: .score(points, reason: reason), next: next)
    }
    static func repTask(_ id: String, _ title: String, due: String? = nil, next: String? = nil) -> StepSpec {
        StepSpec(id: id, kind: .repTask(title, due: due), next: next)
    }
    static func notifyRep(_ id: String, _ message: String, next: String? = nil) -> StepSpec {
        StepSpec(id: id, kind: .notifyRep(message), next: next)
    }
    static func handOff(_ id: String, _ reason: String) -> StepSpec {
        StepSpec(id: id, kind: .handOff(reason), next: nil)
    }
    static func end(_ id: String) -> StepSpec { StepSpec(id: id, kind: .end, next: nil) }
}

func sequence(
    _ id: String, audience: String? = nil, reentry: Reentry = .never, sender: Sender = .fixed(Reps.maya),
    replyTo: Sender? = nil, window: SendWindow = .always, cap: FrequencyCap? = nil,
    exits: [ExitTrigger] = [], thresholds: [Threshold] = [], steps: [StepSpec]
) -> NurtureSequence {
    var indices: [String: Int] = [:]
    for (index, step) in steps.enumerated() { indices[step.id] = index }
    func resolve(_ step: String) -> Int {
        guard let index = indices[step] else { fatalError("unknown step \(step) in \(id)") }
        return index
    }
    let resolved = steps.enumerated().map { index, spec -> Step in
        let following = spec.next.map(resolve) ?? (index + 1 < steps.count ? index + 1 : nil)
        let kind: Step.Kind = switch spec.kind {
        case let .email(template): .email(template: template)
        case let .wait(text): .wait(span(text))
        case let .waitFor(text, upTo, onEvent): .waitFor(condition(text), upTo: span(upTo), onEvent: resolve(onEvent))
        case let .branch(cases, otherwise):
            .branch(cases.map { Step.BranchCase(condition: condition($0.condition), goto: resolve($0.goto)) },
                    otherwise: resolve(otherwise))
        case let .score(points, reason): .score(points, reason: reason)
        case let .repTask(title, due): .repTask(title, due: due.map(span))
        case let .notifyRep(message): .notifyRep(message)
        case let .handOff(reason): .handOff(reason: reason)
        case .end: .end
        }
        let next: Int? = switch spec.kind {
        case .end, .handOff, .branch: nil
        default: following
        }
        return Step(id: spec.id, kind: kind, next: next)
    }
    return NurtureSequence(
        id: id, audience: audience.map(condition), reentry: reentry, sender: sender, replyTo: replyTo,
        sendWindow: window, frequencyCap: cap, exits: exits, thresholds: thresholds, steps: resolved)
}

// MARK: Lifecycle, scoring, leads

enum Fixtures {
    static let mqlCondition = "score >= 80 and fit in [A, B]"

    /// The agreed lifecycle, like the shipped `lifecycle.yml`. Without `scoreTransition` nothing moves a
    /// lead to `mql` automatically, so a sequence's own hand-off can be observed.
    static func lifecycle(scoreTransition: Bool = true, defaultOwner: Rep? = Reps.sdr) -> Lifecycle {
        var transitions: [StageTransition] = []
        if scoreTransition {
            transitions.append(StageTransition(from: ["lead", "recycled"], to: "mql", trigger: .condition(condition(mqlCondition))))
        }
        transitions += [
            StageTransition(from: ["lead", "recycled"], to: "mql", trigger: .event(.meetingBooked)),
            StageTransition(from: ["mql"], to: "sal", trigger: .action(RepAction("accept"))),
            StageTransition(from: ["mql", "sal"], to: "recycled", trigger: .action(RepAction("reject", reason: "not-ready")),
                            enroll: "recycle"),
            StageTransition(from: ["mql", "sal"], to: "disqualified", trigger: .action(RepAction("reject", reason: "bad-fit"))),
            StageTransition(from: ["sal"], to: "sql", trigger: .action(RepAction("qualify"))),
            StageTransition(from: ["sal"], to: "sql", trigger: .event(.meetingBooked)),
            StageTransition(from: ["sql"], to: "customer", trigger: .action(RepAction("won"))),
        ]
        return Lifecycle(
            version: 3,
            stages: [
                Stage(id: "lead", name: "Lead", owner: .marketing),
                Stage(id: "mql", name: "Marketing qualified lead", owner: .sales),
                Stage(id: "sal", name: "Sales accepted lead", owner: .sales),
                Stage(id: "sql", name: "Sales qualified lead", owner: .sales),
                Stage(id: "customer", name: "Customer", owner: .sales),
                Stage(id: "recycled", name: "Recycled", owner: .marketing),
                Stage(id: "disqualified", name: "Disqualified", owner: .marketing),
            ],
            entryStage: "lead",
            handoffStage: "mql",
            defaultOwner: defaultOwner,
            businessHours: window(weekdays, "09:00-17:00", Zone.newYork),
            transitions: transitions,
            serviceLevels: [
                ServiceLevel(stage: "mql", owner: .sales, promise: "accept or reject every MQL", within: .businessHours(8)),
                ServiceLevel(stage: "sal", owner: .sales, promise: "first personal touch", within: .businessDays(2)),
            ])
    }

    static func scoring(halfLife: TimeSpan? = span("30d")) -> ScoringModel {
        ScoringModel(
            version: 2,
            fitRules: [
                FitRule(attribute: "title", match: .contains(["VP", "Director", "Head of"]), points: 20),
                FitRule(attribute: "company_size", match: .range(atLeast: 200, atMost: nil), points: 15),
                FitRule(attribute: "industry", match: .oneOf(["software", "financial services"]), points: 10),
            ],
            grades: [("D", 0), ("A", 40), ("C", 10), ("B", 25)],
            engagement: [
                .emailOpen: EngagementRule(points: 1, cap: .init(points: 5, per: span("7d"))),
                .emailClick: EngagementRule(points: 5, categories: ["case-study": 8, "pricing": 15],
                                            cap: .init(points: 30, per: span("7d"))),
                .pageVisit: EngagementRule(points: 2, categories: ["pricing": 15, "careers": -10]),
                .formFill: EngagementRule(points: 25),
                .reply: EngagementRule(points: 20),
                .meetingBooked: EngagementRule(points: 50),
                .unsubscribe: EngagementRule(points: -40),
                .hardBounce: EngagementRule(points: -40),
            ],
            halfLife: halfLife)
    }

    /// The re-engagement sequence the lifecycle enrolls recycled leads in.
    static var recycle: NurtureSequence {
        sequence(
            "recycle", audience: "stage == recycled", reentry: .after(span("180d")),
            window: window([.tuesday, .wednesday, .thursday], "10:00-15:00", Zone.newYork),
            cap: FrequencyCap(emails: 2, per: span("7d")),
            exits: [.stageChange(to: ["sal", "sql", "disqualified"])],
            steps: [.wait("settle", "1w"), .email("benchmark"), .wait("pause", "2w"), .email("still-relevant")])
    }

    static func definitions(
        _ sequences: [NurtureSequence], lifecycle: Lifecycle = Fixtures.lifecycle(), scoring: ScoringModel = Fixtures.scoring()
    ) -> DefinitionSet {
        DefinitionSet(lifecycle: lifecycle, scoring: scoring, sequences: sequences + [recycle])
    }

    enum Grade: String, CaseIterable, Sendable { case A, B, C, D }

    /// Attributes that earn each grade: A = 45 fit points, B = 35, C = 10, D = 0.
    static func attributes(_ grade: Grade) -> [String: String] {
        let base = ["first_name": "Ada", "last_name": "Byrne", "company": "Acme"]
        let extra: [String: String] = switch grade {
        case .A: ["title": "VP Revenue", "company_size": "500", "industry": "software"]
        case .B: ["title": "Director of Sales", "company_size": "1,200", "industry": "retail"]
        case .C: ["title": "Analyst", "company_size": "50", "industry": "Software"]
        case .D: ["title": "Student"]
        }
        return base.merging(extra) { $1 }
    }

    static func fitPoints(_ grade: Grade) -> Double {
        switch grade {
        case .A: 45
        case .B: 35
        case .C: 10
        case .D: 0
        }
    }

    static func lead(
        _ grade: Grade = .A, zone: TimeZone? = Zone.newYork, owner: Rep? = nil, stage: String? = nil,
        extra: [String: String] = [:]
    ) -> Lead {
        Lead(id: "lead-1", email: "ada@acme.example", timeZone: zone, owner: owner, stage: stage,
             attributes: attributes(grade).merging(extra) { $1 })
    }
}

// MARK: Running the engine

/// One lead driven through the engine: the state, and every entry `Replay` produced so far.
struct Run {
    let engine: Engine
    let lead: Lead
    var state: LeadState
    var entries: [Replay.Entry] = []

    init(_ definitions: DefinitionSet, lead: Lead, at start: Date) {
        engine = Engine(definitions)
        self.lead = lead
        state = engine.start(lead, at: start)
    }

    /// Replays inputs (and the wake-ups between them) up to `until`; returns the new entries.
    @discardableResult
    mutating func replay(_ inputs: [(Date, Input)] = [], until: Date) -> [Replay.Entry] {
        let new = Replay(engine: engine).run(
            lead: lead, state: &state, inputs: inputs.map { (at: $0.0, input: $0.1) }, until: until)
        entries += new
        return new
    }

    /// One engine call, without running earlier wake-ups.
    @discardableResult
    mutating func step(_ input: Input, at now: Date) -> [Effect] {
        let effects = engine.step(&state, lead: lead, input: input, at: now)
        entries.append(Replay.Entry(
            at: now, input: input, effects: effects, score: engine.facts(state, lead: lead, at: now).score,
            stage: state.stage))
        return effects
    }

    var effects: [Effect] { entries.flatMap(\.effects) }
    var timed: [(at: Date, effect: Effect)] { entries.flatMap { entry in entry.effects.map { (entry.at, $0) } } }
    var sends: [Send] { effects.sends }

    func facts(at now: Date) -> Facts { engine.facts(state, lead: lead, at: now) }

    func enrollment(_ sequence: String) -> Enrollment? { state.enrollments.last { $0.sequence == sequence } }
}

extension Array where Element == Effect {
    var sends: [Send] { compactMap { if case let .send(send) = $0 { send } else { nil } } }
    var handOffs: [HandOff] { compactMap { if case let .handOff(handOff) = $0 { handOff } else { nil } } }
    var wakes: [Date] { compactMap { if case let .wake(_, at) = $0 { at } else { nil } } }
    var notifications: [String] {
        compactMap { if case let .notifyRep(_, message, _) = $0 { message } else { nil } }
    }
    var tasks: [(rep: Rep?, title: String, due: Date?)] {
        compactMap { if case let .task(rep, title, due, _) = $0 { (rep, title, due) } else { nil } }
    }
    var stageChanges: [(from: String, to: String)] {
        compactMap { if case let .stageChanged(from, to, _) = $0 { (from, to) } else { nil } }
    }
    var scoreChanges: [(from: Double, to: Double, reason: String)] {
        compactMap { if case let .scoreChanged(from, to, reason) = $0 { (from, to, reason) } else { nil } }
    }
}
