import Foundation
import NurtureCore
import NurturePersonas

/// A recorded history made up from a known population, for showing and testing calibration: leads
/// arrive evenly over a period, each enrolls in a sequence run by the real engine, behaves as its
/// persona says (the model of `docs/personas.md`, as the dry-run draws it), and each hand-off is
/// answered by a rep who accepts by grade and score, answers and touches after log-normal business
/// hours, and gives a reason for a rejection. The same seed gives the same history.
public struct HistoryGenerator: Sendable {
    /// A row of the history, as the event log writes it.
    public struct Row: Sendable, Hashable {
        public var at: Date
        /// `email_sent`, `handed_off` or an event kind (`email_open`...).
        public var type: String
        public var category: String?
        public var step: String?
        public var lead: String
    }

    /// How the generated reps answer: acceptance by grade, moved by the score above `pivot`; the
    /// times in the lifecycle's business hours.
    public struct Reps: Sendable {
        public var acceptanceByGrade: [String: Double] = ["A": 0.93, "B": 0.78, "C": 0.55, "D": 0.3]
        /// Added to the acceptance chance per score point above `pivot` (taken off below it).
        public var perPoint = 0.004
        public var pivot = 100.0
        public var expired = 0.04
        public var reasons: Mix<String> = Mix([("not-ready", 0.6), ("bad-fit", 0.4)])!
        /// Business time from the hand-off to the answer, and from the acceptance to the first touch.
        public var timeToAnswer = LogNormalDelay(median: .hours(3), spread: 1)
        public var timeToFirstTouch = LogNormalDelay(median: .hours(5), spread: 0.9)

        public init() {}

        public func acceptance(grade: String, score: Double) -> Double {
            min(1, max(0, (acceptanceByGrade[grade] ?? 0.5) + perPoint * (score - pivot)))
        }
    }

    public var definitions: DefinitionSet
    public var sequence: String
    public var population: Population
    public var leads: Int
    public var from: Date
    /// Leads arrive evenly over this many days from `from`.
    public var arrivalDays: Int
    /// The record ends this many days after `from`.
    public var recordDays: Int
    public var seed: UInt64
    public var reps = Reps()

    public init(
        definitions: DefinitionSet, sequence: String, population: Population, leads: Int, from: Date, arrivalDays: Int,
        recordDays: Int, seed: UInt64
    ) {
        self.definitions = definitions
        self.sequence = sequence
        self.population = population
        self.leads = leads
        self.from = from
        self.arrivalDays = arrivalDays
        self.recordDays = recordDays
        self.seed = seed
    }

    /// The history: rows in time order per lead, leads in order, and each hand-off's answer.
    public func generate() -> (rows: [Row], outcomes: [RecordedOutcome]) {
        let engine = Engine(definitions.assumingCompleteLeads)
        let stepIDs = definitions.sequences[sequence]?.steps.map(\.id) ?? []
        let end = from.addingTimeInterval(Double(recordDays) * 86_400)
        let owner = Rep(name: "Rep 1", email: "rep1@example.invalid")
        var rows: [Row] = [], outcomes: [RecordedOutcome] = []
        for index in 0..<leads {
            var random = ProspectRandom(seed: seed, index: UInt64(index))
            let persona = population.personas[population.mix.pick(random.uniform())]
            let zone = (persona.timeZones ?? population.timeZones).pick(random.uniform())
            var attributes: [String: String] = [:]
            for (name, mix) in persona.attributes { attributes[name] = mix.pick(random.uniform()) }
            let id = String(format: "L-%05d", index + 1)
            let lead = Lead(id: id, email: "\(id.lowercased())@example.invalid", timeZone: TimeZone(identifier: zone), owner: owner, attributes: attributes)
            let arrival = from.addingTimeInterval(Double(arrivalDays) * 86_400 * Double(index) / Double(max(1, leads)))
            var run = LeadRun(
                persona: persona, lead: lead, stepIDs: stepIDs, sequence: sequence,
                touchRandom: ProspectRandom(seed: seed ^ Self.touchStream, index: UInt64(index)), businessHours: definitions.lifecycle.businessHours)
            if persona.visitsPerDay > 0, let pages = persona.visitPages {
                var time = arrival
                while true {
                    time = time.addingTimeInterval(random.exponential(mean: 86_400 / persona.visitsPerDay))
                    guard time <= end else { break }
                    run.push(Pending(at: time, kind: .pageVisit, category: pages.pick(random.uniform())))
                }
            }
            var state = engine.start(lead, at: arrival)
            var effects = engine.step(&state, lead: lead, input: .enroll(sequence: sequence), at: arrival)
            run.handle(effects, at: arrival, random: &random, rows: &rows, outcomes: &outcomes, reps: reps, end: end)
            var lastWake: Date?
            while true {
                let next = run.pending.last?.at
                if let wake = state.nextWake, wake <= end, next.map({ wake <= $0 }) ?? true {
                    if wake == lastWake { break }
                    lastWake = wake
                    effects = engine.step(&state, lead: lead, input: .timePassed, at: wake)
                    run.handle(effects, at: wake, random: &random, rows: &rows, outcomes: &outcomes, reps: reps, end: end)
                } else if let next, next <= end, let pending = run.pending.popLast() {
                    rows.append(Row(
                        at: pending.at, type: pending.kind.rawValue, category: pending.machine ? "machine" : pending.category,
                        step: pending.step, lead: id))
                    // Fed to the engine as the dry-run feeds it, so the two agree on scores and hand-offs.
                    let event = EngagementEvent(pending.kind, category: pending.category, sequence: pending.step.map { _ in sequence }, step: pending.step)
                    effects = engine.step(&state, lead: lead, input: .event(event), at: pending.at)
                    run.handle(effects, at: pending.at, random: &random, rows: &rows, outcomes: &outcomes, reps: reps, end: end)
                } else {
                    break
                }
            }
        }
        return (rows, outcomes)
    }

    /// Mixed into the seed of the streams the first touches are drawn from.
    static let touchStream: UInt64 = 0x544F_5543

    struct Pending {
        var at: Date
        var kind: EngagementEvent.Kind
        var category: String?
        var step: String?
        var machine = false
    }

    /// One lead's run: what it will do, latest last so the earliest pops off the end.
    struct LeadRun {
        let persona: Persona
        let lead: Lead
        let stepIDs: [String]
        let sequence: String
        var pending: [Pending] = []
        var sends = 0
        var unopened = 0
        var handedOff = false
        /// The rep's first touch is drawn from a stream of its own, so that the lead's own stream
        /// (and with it the rest of the history) does not depend on whether the touch is modelled.
        var touchRandom: ProspectRandom
        let businessHours: SendWindow

        init(persona: Persona, lead: Lead, stepIDs: [String], sequence: String, touchRandom: ProspectRandom, businessHours: SendWindow) {
            self.persona = persona
            self.lead = lead
            self.stepIDs = stepIDs
            self.sequence = sequence
            self.touchRandom = touchRandom
            self.businessHours = businessHours
        }

        mutating func push(_ event: Pending) {
            // Earliest at the end; among equal times, the one pushed first pops first.
            let index = pending.firstIndex { $0.at < event.at } ?? pending.count
            var insertAt = index
            while insertAt > 0, pending[insertAt - 1].at == event.at { insertAt -= 1 }
            pending.insert(event, at: insertAt)
        }

        mutating func handle(
            _ effects: [Effect], at now: Date, random: inout ProspectRandom, rows: inout [Row], outcomes: inout [RecordedOutcome],
            reps: Reps, end: Date
        ) {
            for effect in effects {
                switch effect {
                case let .send(send):
                    rows.append(Row(at: now, type: "email_sent", step: send.step, lead: lead.id))
                    respond(step: send.step, at: now, random: &random)
                case let .handOff(handOff):
                    guard !handedOff else { continue }
                    handedOff = true
                    rows.append(Row(at: now, type: "handed_off", step: nil, lead: lead.id))
                    outcomes.append(answer(handOff, at: now, random: &random, reps: reps, end: end))
                default: continue
                }
            }
        }

        /// The persona's reaction to one email: bounce, machine open, human open, reactions.
        mutating func respond(step: String, at now: Date, random: inout ProspectRandom) {
            sends += 1
            if sends == 1, random.chance(persona.bounce) {
                push(Pending(at: now.addingTimeInterval(30), kind: .hardBounce, step: step))
                return
            }
            if random.chance(persona.machineOpen) {
                push(Pending(at: now.addingTimeInterval(1 + random.uniform() * 300), kind: .emailOpen, step: step, machine: true))
            }
            guard random.chance(persona.open * pow(persona.fatigue, Double(unopened))) else {
                unopened += 1
                return
            }
            unopened = 0
            var time = now.addingTimeInterval(persona.openDelay.seconds(z: random.normal()))
            push(Pending(at: time, kind: .emailOpen, step: step))
            let clicks = random.chance(persona.click), replies = random.chance(persona.reply)
            let unsubscribes = random.chance(persona.unsubscribe)
            if clicks {
                time = time.addingTimeInterval(persona.clickDelay.seconds(z: random.normal()))
                push(Pending(at: time, kind: .emailClick, category: persona.clickCategories?.pick(random.uniform()), step: step))
            }
            if replies {
                time = time.addingTimeInterval(persona.clickDelay.seconds(z: random.normal()))
                push(Pending(at: time, kind: .reply, step: step))
            }
            if unsubscribes {
                time = time.addingTimeInterval(persona.clickDelay.seconds(z: random.normal()))
                push(Pending(at: time, kind: .unsubscribe, step: step))
            }
        }

        mutating func answer(_ handOff: HandOff, at now: Date, random: inout ProspectRandom, reps: Reps, end: Date) -> RecordedOutcome {
            func after(_ delay: LogNormalDelay, from start: Date, z: Double) -> Date {
                businessHours.adding(windowSeconds: max(1, Int(delay.seconds(z: z).rounded())), to: start, leadZone: nil)
            }
            let answeredAt = after(reps.timeToAnswer, from: now, z: random.normal())
            var outcome = RecordedOutcome(lead: lead.id, handedOffAt: now, score: handOff.score, grade: handOff.grade, answer: .open)
            if random.chance(reps.expired) {
                outcome.answer = .expired
            } else if answeredAt > end {
                outcome.answer = .open
            } else if random.chance(reps.acceptance(grade: handOff.grade, score: handOff.score)) {
                outcome.answer = .accepted
                outcome.answeredAt = answeredAt
                let touchedAt = after(reps.timeToFirstTouch, from: answeredAt, z: touchRandom.normal())
                if touchedAt <= end { outcome.touchedAt = touchedAt }
            } else {
                outcome.answer = .rejected
                outcome.reason = reps.reasons.pick(random.uniform())
                outcome.answeredAt = answeredAt
            }
            return outcome
        }
    }
}
