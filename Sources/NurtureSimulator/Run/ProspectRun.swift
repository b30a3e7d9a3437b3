import Foundation
import NurtureCore
import NurturePersonas

/// Runs synthetic prospects, one at a time, through the real engine on a virtual clock, and
/// counts what happens. One per worker: it reuses its buffers from one prospect to the next.
struct ProspectRun {
    let setup: SimulationSetup
    let engine: Engine
    let reps: [Rep]
    let horizon: Date
    let salesClock: ZoneClock
    let startDay: Int64
    /// Prospect attributes fixed for every synthetic lead (no one reads a synthetic email address).
    static let email = "prospect@example.invalid"
    /// The effects a run acts on; the engine leaves the others unbuilt.
    static let effectsActedOn: EffectKinds = [.enrolled, .send, .handOff]

    /// Each prospect's arrival, by index; empty when every prospect enters at the start.
    private let arrivals: [Date]
    /// The simulated sequence's step ids, by position, for the events that respond to an email.
    private let stepIDs: [String]
    /// The sequences a lifecycle move can enroll a prospect in besides the simulated one.
    private let others: OtherSequences
    /// The reps' answers to hand-offs; nil without a `reps:` section.
    let repAnswers: RepAnswers?
    /// The current prospect's hand-off awaiting its rep's answer, if any.
    var pendingAnswer: PendingAnswer?
    /// The current prospect's stream for its reps' answers: separate from its own, so that the
    /// prospect behaves the same with or without a `reps:` section until a rep's answer moves it.
    var repRandom = ProspectRandom(seed: 0, index: 0)
    /// Each persona of the population, by index.
    private let behaviours: [PersonaBehaviour]
    /// The population's mix of personas, in arrays of this worker's own (see `PersonaBehaviour`).
    private let personaMix: Mix<Int>
    var effects: [Effect] = []
    private var queue = EventQueue()
    private var profiles: ProspectProfiles
    /// The current prospect's state, reset from its profile's enrolled state for each prospect so
    /// that its buffers are allocated once per worker rather than once per prospect.
    var state: LeadState
    /// The attribute values drawn for the current prospect, by index in their mixes.
    private var values: [Int] = []
    /// Set to tell the current prospect's story in `trace` (see ``ProspectTrace``); off in runs.
    var tracing = false
    var trace: ProspectTrace?

    init(setup: SimulationSetup) {
        self.setup = setup
        engine = Engine(setup.definitions.assumingCompleteLeads)
        reps = (1...max(1, setup.reps)).map { Rep(name: "Rep \($0)", email: "rep\($0)@example.invalid") }
        profiles = ProspectProfiles(
            setup: setup, engine: engine, reps: reps, email: Self.email, effectsActedOn: Self.effectsActedOn)
        arrivals = setup.arrivals?.times ?? []
        stepIDs = setup.definitions.sequences[setup.sequence]?.steps.map(\.id) ?? []
        others = OtherSequences(
            setup.definitions.sequences.mapValues { $0.steps.map(\.id) }, simulated: setup.sequence, simulatedSteps: stepIDs.count)
        repAnswers = setup.population.reps.map { RepAnswers($0, definitions: setup.definitions, days: setup.days) }
        behaviours = setup.population.personas.map { PersonaBehaviour($0, population: setup.population) }
        personaMix = setup.population.mix.withOwnStorage()
        horizon = setup.start.addingTimeInterval(Double(setup.days) * 86_400)
        salesClock = ZoneClock(setup.definitions.lifecycle.businessHours.timeZone)
        startDay = salesClock.dayAndSecond(setup.start).day
        state = LeadState(stage: "", score: Score(at: setup.start), fitPoints: 0, grade: "")
    }

    /// What one prospect did, gathered while it runs.
    struct Outcome {
        /// When the prospect entered the sequence.
        var arrival: Date
        var result = ProspectOutcome()
        var unopenedStreak = 0
        var lastStep = -1
        /// The prospect's only enrollment is in the simulated sequence: while it has no other, every
        /// email is the simulated sequence's, and sends need not compare sequence names.
        var onlySimulated = false
        /// A rep's answer moved the prospect back to marketing; handed off again after that.
        var recycled = false
        var returned = false
    }

    /// Runs prospect `index`, adds what happened to `stats`, and returns the prospect's outcome.
    @discardableResult
    mutating func run(index: Int, into stats: inout SimulationStats) -> ProspectOutcome {
        var random = ProspectRandom(seed: setup.seed, index: UInt64(index))
        let personaIndex = personaMix.pick(random.uniform())
        let behaviour = behaviours[personaIndex]
        let zone = behaviour.timeZones.index(for: random.uniform())
        values.removeAll(keepingCapacity: true)
        behaviour.drawAttributes(&random, into: &values)
        let rep = index % reps.count
        let profile = profiles.prospect(persona: personaIndex, zone: zone, values: values, rep: rep)
        let lead = profile.lead

        stats.prospects += 1
        stats.personaProspects[personaIndex] += 1
        queue.removeAll()
        if repAnswers != nil {
            pendingAnswer = nil
            repRandom = ProspectRandom(seed: setup.seed ^ Self.repStream, index: UInt64(index))
        }
        // Indexing an empty array is not free: the common run, everyone at the start, skips it.
        let arrival = arrivals.isEmpty ? setup.start : arrivals[index]
        var outcome = Outcome(arrival: arrival)
        if tracing { trace = ProspectTrace(lead: lead, arrival: arrival, state: state) }
        if behaviour.persona.visitsPerDay > 0, let pages = behaviour.visitPages {
            var time = arrival
            while true {
                time = time.addingTimeInterval(random.exponential(mean: 86_400 / behaviour.persona.visitsPerDay))
                guard time <= horizon else { break }
                queue.push(.pageVisit, category: pages.index(for: random.uniform()), at: time)
            }
        }

        if arrivals.isEmpty {
            // Enrolled as every prospect of the profile is (see `ProspectProfiles`), before any event.
            profile.enroll(&state)
            outcome.onlySimulated = profile.onlySimulated
            for index in profile.enrollmentEffects.indices {
                handle(
                    profile.enrollmentEffects[index], at: setup.start, behaviour: behaviour, personaIndex: personaIndex,
                    rep: rep, random: &random, outcome: &outcome, stats: &stats)
            }
        } else {
            // Arrivals differ by prospect, so the profile's enrollment at the start is no use: enroll
            // at the prospect's own arrival, as the scheduler enrolls a paced lead.
            state = engine.start(lead, at: arrival)
            engine.step(
                &state, lead: lead, input: .enroll(sequence: setup.sequence), at: arrival, into: &effects,
                keeping: Self.effectsActedOn)
            outcome.onlySimulated = state.enrollments.count == 1 && state.enrollments[0].sequence == setup.sequence
            handleEffects(at: arrival, behaviour: behaviour, personaIndex: personaIndex, rep: rep, random: &random,
                          outcome: &outcome, stats: &stats)
        }
        var lastWake: Date?
        while true {
            let wake = state.nextWake
            let next = queue.nextTime
            // A rep's answer comes after a wake-up or event at the same instant.
            if let answer = pendingAnswer, answer.at <= horizon,
               !(wake.map { $0 <= answer.at && $0 <= horizon } ?? false),
               !(next.map { $0 <= answer.at && $0 <= horizon } ?? false) {
                answerHandOff(lead: lead, behaviour: behaviour, personaIndex: personaIndex, rep: rep, random: &random,
                              outcome: &outcome, stats: &stats)
                continue
            }
            if let wake, wake <= horizon, next.map({ wake <= $0 }) ?? true {
                if wake == lastWake { break }  // the engine could not move on; never spin
                lastWake = wake
                stats.engineSteps += 1
                engine.step(
                    &state, lead: lead, input: .timePassed, at: wake, into: &effects, keeping: Self.effectsActedOn)
                handleEffects(at: wake, behaviour: behaviour, personaIndex: personaIndex, rep: rep, random: &random,
                              outcome: &outcome, stats: &stats)
            } else if let next, next <= horizon, let (at, pending) = queue.pop() {
                stats.events += 1
                stats.engineSteps += 1
                record(pending, outcome: &outcome, stats: &stats)
                let event = Self.event(
                    for: pending, behaviour: behaviour, sequence: setup.sequence, stepIDs: stepIDs, others: others)
                if tracing { trace!.inputs.append((at, .event(event))) }
                engine.step(
                    &state, lead: lead, input: .event(event), at: at, into: &effects, keeping: Self.effectsActedOn)
                handleEffects(at: at, behaviour: behaviour, personaIndex: personaIndex, rep: rep, random: &random,
                              outcome: &outcome, stats: &stats)
            } else {
                break
            }
        }
        if pendingAnswer != nil { stats.sla?.open += 1 }
        if tracing { trace!.state = state }
        Self.finish(state, sequence: setup.sequence, others: others, outcome: outcome, stats: &stats)
        return outcome.result
    }

    /// The event a pending one stands for: its category from the persona's mixes, and the email it
    /// responds to (by its step's id in `stepIDs`). Static, like `finish`: a method would be handed
    /// a copy of the whole run on every call.
    private static func event(
        for pending: EventQueue.Pending, behaviour: PersonaBehaviour, sequence: String, stepIDs: [String],
        others: OtherSequences
    ) -> EngagementEvent {
        var category: String?
        if pending.category >= 0 {
            let mix = pending.kind == .pageVisit ? behaviour.visitPages : behaviour.clickCategories
            category = mix?.values[pending.category]
        }
        guard pending.step >= 0 else { return EngagementEvent(pending.kind, category: category) }
        if pending.step >= stepIDs.count {
            let other = others.step(pending.step)
            return EngagementEvent(pending.kind, category: category, sequence: other.sequence, step: other.step)
        }
        return EngagementEvent(pending.kind, category: category, sequence: sequence, step: stepIDs[pending.step])
    }

    private func record(_ pending: EventQueue.Pending, outcome: inout Outcome, stats: inout SimulationStats) {
        switch pending.kind {
        case .emailOpen:
            outcome.result.reach(.opened)
            stats.opens += 1
            if pending.machine { stats.machineOpens += 1 }
            if pending.step >= 0, pending.step < stats.steps.count { stats.steps[pending.step].opened += 1 }
        case .emailClick:
            outcome.result.reach(.clicked)
            stats.clicks += 1
            if pending.step >= 0, pending.step < stats.steps.count { stats.steps[pending.step].clicked += 1 }
        case .reply: outcome.result.reach(.replied)
        case .unsubscribe: outcome.result.reach(.unsubscribed)
        case .hardBounce: outcome.result.reach(.bounced)
        default: break
        }
    }

    /// Acts on the effects an engine call left in `effects`, in the order they came.
    mutating func handleEffects(
        at now: Date, behaviour: PersonaBehaviour, personaIndex: Int, rep: Int, random: inout ProspectRandom,
        outcome: inout Outcome, stats: inout SimulationStats
    ) {
        // Taken out of the buffer, first to last, so that each effect is moved rather than copied.
        // Most calls leave one effect or none, and those need no reversing.
        if effects.count > 1 { effects.reverse() }
        while let effect = effects.popLast() {
            handle(effect, at: now, behaviour: behaviour, personaIndex: personaIndex, rep: rep, random: &random,
                   outcome: &outcome, stats: &stats)
        }
    }

    /// Acts on one effect, lent where it lies: matched in the caller's loop, a send was copied out
    /// of it (three references retained and released) on the way to `respond`.
    @inline(never)
    private mutating func handle(
        _ effect: Effect, at now: Date, behaviour: PersonaBehaviour, personaIndex: Int, rep: Int,
        random: inout ProspectRandom, outcome: inout Outcome, stats: inout SimulationStats
    ) {
        switch effect {
        case .enrolled:
            outcome.result.reach(.enrolled)
        case let .send(send):
            if tracing { trace!.sends.append(ProspectTrace.Sent(at: now, sequence: send.sequence, step: send.step)) }
            respond(to: send, at: now, behaviour: behaviour, random: &random, outcome: &outcome, stats: &stats)
        case let .handOff(handOff):
            if tracing { trace!.handOffs.append(now) }
            if let sequence = handOff.sequence {
                let index = sequence == setup.sequence ? 0 : others.byName[sequence]?.index
                if let index { stats.sequences[index].handOffs += 1 }
            }
            if repAnswers != nil { handOffToRep(handOff, at: now, outcome: &outcome, stats: &stats) }
            guard !outcome.result.reached(.handedOff) else { return }
            outcome.result.reach(.handedOff)
            let elapsed = now.timeIntervalSince(outcome.arrival)
            outcome.result.minutesToHandOff = Int(elapsed / 60)
            let hours = Int(elapsed / 3600)
            stats.hoursToHandOff[min(max(0, hours), stats.hoursToHandOff.count - 1)] += 1
            let day = Int(salesClock.dayAndSecond(now).day - startDay)
            if (0..<setup.days).contains(day) {
                stats.handOffsPerDay[day] += 1
                stats.handOffsPerRepDay[rep * setup.days + day] += 1
            }
            stats.personaHandOffs[personaIndex] += 1
        default:
            return
        }
    }

    /// The prospect's reaction to one email, drawn now and queued at the times it will happen.
    private mutating func respond(
        to send: Send, at now: Date, behaviour: PersonaBehaviour, random: inout ProspectRandom,
        outcome: inout Outcome, stats: inout SimulationStats
    ) {
        // Read once: the step's index is behind a reference in the send. Steps of other sequences
        // are numbered after the simulated one's (see `OtherSequences`).
        var step = send.stepIndex
        stats.emails += 1
        outcome.result.emails += 1
        if outcome.onlySimulated && state.enrollments.count == 1 || send.sequence == setup.sequence {
            stats.steps[step].sent += 1
            outcome.lastStep = step
        } else {
            if let other = others.byName[send.sequence] {
                step += other.firstStep
                stats.sequences[other.index].sent += 1
            } else {
                step = -1
            }
            stats.sla?.otherSequenceEmails += 1
        }
        if outcome.result.emails == 1, random.chance(behaviour.persona.bounce) {
            queue.push(.hardBounce, at: now.addingTimeInterval(30), step: step)
            return
        }
        outcome.result.reach(.delivered)
        if random.chance(behaviour.persona.machineOpen) {
            queue.push(.emailOpen, at: now.addingTimeInterval(1 + random.uniform() * 300), step: step, machine: true)
        }
        let openChance = behaviour.openChance(afterUnopened: outcome.unopenedStreak)
        guard random.chance(openChance) else {
            outcome.unopenedStreak += 1
            return
        }
        outcome.unopenedStreak = 0
        var time = now.addingTimeInterval(behaviour.persona.openDelay.seconds(z: random.normal()))
        queue.push(.emailOpen, at: time, step: step)
        let clicks = random.chance(behaviour.persona.click)
        let replies = random.chance(behaviour.persona.reply)
        let unsubscribes = random.chance(behaviour.persona.unsubscribe)
        if clicks {
            time = time.addingTimeInterval(behaviour.persona.clickDelay.seconds(z: random.normal()))
            let category = behaviour.clickCategories.map { $0.index(for: random.uniform()) } ?? -1
            queue.push(.emailClick, category: category, at: time, step: step)
        }
        if replies {
            time = time.addingTimeInterval(behaviour.persona.clickDelay.seconds(z: random.normal()))
            queue.push(.reply, at: time, step: step)
        }
        if unsubscribes {
            time = time.addingTimeInterval(behaviour.persona.clickDelay.seconds(z: random.normal()))
            queue.push(.unsubscribe, at: time, step: step)
        }
    }

    /// Counts how the prospect ended up, from its final `state`.
    private static func finish(
        _ state: LeadState, sequence: String, others: OtherSequences, outcome: Outcome,
        stats: inout SimulationStats
    ) {
        // Only a lifecycle move enrolls a prospect in a second sequence.
        if state.enrollments.count > 1 {
            for enrollment in state.enrollments {
                guard enrollment.sequence != sequence, let index = others.byName[enrollment.sequence]?.index else { continue }
                stats.sequences[index].enrolled += 1
                switch enrollment.status {
                case .active: stats.sequences[index].stillActive += 1
                case .completed: stats.sequences[index].completed += 1
                case .handedOff, .exited: stats.sequences[index].exited += 1
                }
            }
        }
        for stage in SimulationStats.Stage.allCases where outcome.result.reached(stage) {
            stats.funnel[stage.rawValue] += 1
        }
        stats.emailsPerProspect[min(outcome.result.emails, stats.emailsPerProspect.count - 1)] += 1
        guard let enrollment = state.enrollments.first(where: { $0.sequence == sequence }) else {
            stats.endings[SimulationStats.Ending.refused.rawValue] += 1
            return
        }
        let ending: SimulationStats.Ending = switch enrollment.status {
        case .active: .stillActive
        case .completed: .completed
        case .handedOff: .handedOff
        case .exited(.event(.reply)): .replied
        case .exited(.event(.meetingBooked)): .meetingBooked
        case .exited(.event(.unsubscribe)): .unsubscribed
        case .exited(.event(.hardBounce)): .bounced
        case .exited(.event(.complaint)): .complained
        case .exited(.event): .completed
        case .exited(.stageChanged): .stageChanged
        case .exited(.stalled): .stalled
        }
        stats.endings[ending.rawValue] += 1
        if ending != .stillActive, ending != .completed, outcome.lastStep >= 0 {
            stats.steps[outcome.lastStep].exits += 1
        }
    }
}
