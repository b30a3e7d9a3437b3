import Foundation
import NurtureCore
import NurturePersonas

/// What every worker of a forecast shares, built once: the personas, the sales clock, the figures.
final class ForecastModel: Sendable {
    let setup: ForecastSetup
    let behaviours: [PersonaBehaviour]
    let salesClock: ZoneClock
    let businessHours: SendWindow
    let startDay: Int64
    let horizon: Date
    /// The setup's figures and routing, read for every lead and run without copying the setup.
    let start: Date, days: Int, runs: Int, seed: UInt64
    let routeHandOff: @Sendable (Lead, HandOff) -> String
    let personaMix: Mix<Int>

    init(_ setup: ForecastSetup) {
        self.setup = setup
        start = setup.start
        days = setup.days
        runs = setup.runs
        seed = setup.seed
        routeHandOff = setup.routing.rep
        personaMix = setup.population.mix
        behaviours = setup.population.personas.map { PersonaBehaviour($0, population: setup.population) }
        salesClock = ZoneClock(setup.definitions.lifecycle.businessHours.timeZone)
        businessHours = setup.definitions.lifecycle.businessHours
        startDay = salesClock.dayAndSecond(setup.start).day
        horizon = setup.horizon
    }
}

/// Runs one live lead forward from its stored state, once per Monte Carlo run, on a virtual clock:
/// the engine is woken when its state asks (as the scheduler's claim of due leads does), inputs
/// already waiting are applied when due, and each email sent gets a reaction drawn from the lead's
/// persona. One per worker: its buffers are reused from one lead to the next.
struct ForecastRun {
    let model: ForecastModel
    /// The engine as the scheduler builds it (these are real leads, with their real fields), one
    /// per worker as in the dry-run: a pass lends the engine's rules to itself, and workers sharing
    /// one engine would all take that loan on the same object.
    private let engine: Engine
    private static let effectsActedOn: EffectKinds = [.send, .handOff]

    private var effects: [Effect] = []
    private var queue = EventQueue()
    private var state: LeadState
    /// The sequence and step of each email sent in the current run, by the number events carry.
    private var emails: [(sequence: String, step: String)] = []
    private var unopenedStreak = 0

    init(model: ForecastModel) {
        self.model = model
        engine = Engine(model.setup.definitions)
        state = LeadState(stage: "", score: Score(at: model.start), fitPoints: 0, grade: "")
    }

    /// Whether a lead can do anything in the forecast: an active enrollment, or an input to come.
    static func isLive(_ item: ForecastLead) -> Bool {
        !item.pending.isEmpty || (item.state?.enrollments.contains { $0.isActive } ?? false)
    }

    /// Runs `item` once per run and counts its hand-offs.
    mutating func run(_ item: ForecastLead, into counts: inout ForecastCounts) {
        counts.leads += 1
        guard Self.isLive(item) else { return }
        counts.forecastLeads += 1
        let key = ForecastSetup.leadKey(item.lead.id)
        let behaviour = model.behaviours[ForecastSetup.persona(of: item.lead.id, seed: model.seed, mix: model.personaMix)]
        let base = item.state ?? engine.start(item.lead, at: model.start)
        let neverEmailed = base.recentSends.isEmpty
        for run in 0..<model.runs {
            // A stream per lead and run, apart from the one that picked the persona.
            var random = ProspectRandom(seed: model.seed &+ UInt64(run + 1) &* 0x9E37_79B9_7F4A_7C15, index: key)
            state.reset(to: base)
            runOnce(item, run: run, behaviour: behaviour, firstEmailMayBounce: neverEmailed, random: &random, counts: &counts)
        }
    }

    private mutating func runOnce(
        _ item: ForecastLead, run: Int, behaviour: PersonaBehaviour, firstEmailMayBounce: Bool,
        random: inout ProspectRandom, counts: inout ForecastCounts
    ) {
        let start = model.start, horizon = model.horizon
        queue.removeAll()
        emails.removeAll(keepingCapacity: true)
        unopenedStreak = 0
        var sent = 0
        if behaviour.persona.visitsPerDay > 0, let pages = behaviour.persona.visitPages {
            var time = start
            while true {
                time = time.addingTimeInterval(random.exponential(mean: 86_400 / behaviour.persona.visitsPerDay))
                guard time <= horizon else { break }
                queue.push(.pageVisit, category: pages.index(for: random.uniform()), at: time)
            }
        }
        var nextPending = 0
        var lastWake: Date?
        while true {
            // A wake already past is overdue: the scheduler's next pass, now, takes it.
            let wake = state.nextWake.map { max($0, start) }
            let pending = nextPending < item.pending.count ? max(item.pending[nextPending].at, start) : nil
            let event = queue.nextTime
            guard let now = Self.earliest(Self.earliest(wake, pending), event), now <= horizon else { break }
            if let wake, wake == now, pending.map({ wake <= $0 }) ?? true {
                if wake == lastWake { break }  // the engine could not move on; never spin
                lastWake = wake
                engine.step(&state, lead: item.lead, input: .timePassed, at: now, into: &effects, keeping: Self.effectsActedOn)
            } else if let pending, pending == now {
                let input = item.pending[nextPending].input
                nextPending += 1
                engine.step(&state, lead: item.lead, input: input, at: now, into: &effects, keeping: Self.effectsActedOn)
            } else if let (at, next) = queue.pop() {
                engine.step(
                    &state, lead: item.lead, input: .event(self.event(for: next, behaviour: behaviour)), at: at,
                    into: &effects, keeping: Self.effectsActedOn)
            } else {
                break
            }
            if effects.count > 1 { effects.reverse() }
            while let effect = effects.popLast() {
                switch effect {
                case let .send(send):
                    sent += 1
                    respond(to: send, at: now, mayBounce: firstEmailMayBounce && sent == 1, behaviour: behaviour, random: &random)
                case let .handOff(handOff):
                    // Counted on the business day routing counts it on (`HandOffCapacity`).
                    let day = Int(HandOffCapacity.day(of: handOff.at, businessHours: model.businessHours).number - model.startDay)
                    guard (0..<model.days).contains(day) else { continue }
                    counts.addHandOff(rep: model.routeHandOff(item.lead, handOff), run: run, day: day)
                default:
                    continue
                }
            }
        }
    }

    private static func earliest(_ a: Date?, _ b: Date?) -> Date? {
        guard let a else { return b }
        guard let b else { return a }
        return min(a, b)
    }

    private func event(for pending: EventQueue.Pending, behaviour: PersonaBehaviour) -> EngagementEvent {
        var category: String?
        if pending.category >= 0 {
            let mix = pending.kind == .pageVisit ? behaviour.persona.visitPages : behaviour.persona.clickCategories
            category = mix?.values[pending.category]
        }
        guard pending.step >= 0 else { return EngagementEvent(pending.kind, category: category) }
        let email = emails[pending.step]
        return EngagementEvent(pending.kind, category: category, sequence: email.sequence, step: email.step)
    }

    /// The lead's reaction to one email, drawn now and queued at the times it will happen: the same
    /// draws, in the same order, as a dry-run prospect's.
    private mutating func respond(
        to send: Send, at now: Date, mayBounce: Bool, behaviour: PersonaBehaviour, random: inout ProspectRandom
    ) {
        let step = emails.count
        emails.append((send.sequence, send.step))
        let persona = behaviour.persona
        if mayBounce, random.chance(persona.bounce) {
            queue.push(.hardBounce, at: now.addingTimeInterval(30), step: step)
            return
        }
        if random.chance(persona.machineOpen) {
            queue.push(.emailOpen, at: now.addingTimeInterval(1 + random.uniform() * 300), step: step, machine: true)
        }
        guard random.chance(behaviour.openChance(afterUnopened: unopenedStreak)) else {
            unopenedStreak += 1
            return
        }
        unopenedStreak = 0
        var time = now.addingTimeInterval(persona.openDelay.seconds(z: random.normal()))
        queue.push(.emailOpen, at: time, step: step)
        let clicks = random.chance(persona.click)
        let replies = random.chance(persona.reply)
        let unsubscribes = random.chance(persona.unsubscribe)
        if clicks {
            time = time.addingTimeInterval(persona.clickDelay.seconds(z: random.normal()))
            let category = persona.clickCategories.map { $0.index(for: random.uniform()) } ?? -1
            queue.push(.emailClick, category: category, at: time, step: step)
        }
        if replies {
            time = time.addingTimeInterval(persona.clickDelay.seconds(z: random.normal()))
            queue.push(.reply, at: time, step: step)
        }
        if unsubscribes {
            time = time.addingTimeInterval(persona.clickDelay.seconds(z: random.normal()))
            queue.push(.unsubscribe, at: time, step: step)
        }
    }
}
