import Foundation
import NurtureCore
import NurturePersonas

/// Who a synthetic prospect is: a persona, the value drawn for each of its attributes, a time zone
/// and a rep. A population has few such profiles (a handful of personas, titles, sizes and zones),
/// so a worker builds each one's lead once, and enrolls it once, and hands out copies: building the
/// lead (a dictionary of attributes, fit points by string matching) was a tenth of a prospect's run.
///
/// Every prospect of a profile enrolls in the same sequence at the same instant, before anything
/// it does, and the engine is a pure function of its inputs: the enrollment call gives every one
/// of them the same state and the same effects. The profile keeps both, and each prospect starts
/// from them; from there on, every call is its own.
struct ProspectProfiles {
    /// Past this many possible profiles, keeping them all could cost more memory than it saves
    /// time, and every prospect's lead is built afresh.
    static let limit = 1 << 16

    private let population: Population
    private let engine: Engine
    private let sequence: String
    private let start: Date
    private let effectsActedOn: EffectKinds
    private let reps: [Rep]
    /// A lead per time zone, its wall clock already looked up, for a new profile to start from.
    private let leads: [String: Lead]
    private let email: String
    /// Where each persona's profiles start in the numbering; nil when there are too many to keep.
    private let firstProfile: [Int]?
    /// For each persona from `radixStart`: the sizes of its attribute mixes, then of its zone mix.
    /// Plain integers, so that numbering a prospect's profile reads no persona or mix (each such
    /// read retained and released their arrays).
    private let radices: [Int]
    private let radixStart: [Int]
    /// Profiles built so far, by number; empty when there are too many to keep.
    private var built: [Profile?]

    /// One profile's lead, its state just after enrolling and what enrolling did, held by reference
    /// so that finding one costs a retain and its state is read in place.
    final class Profile: Sendable {
        let lead: Lead
        let enrolled: LeadState
        let enrollmentEffects: [Effect]
        /// Enrolling left the lead in the simulated sequence and no other (see `ProspectRun.Outcome`).
        let onlySimulated: Bool

        init(lead: Lead, enrolled: LeadState, enrollmentEffects: [Effect], sequence: String) {
            self.lead = lead
            self.enrolled = enrolled
            self.enrollmentEffects = enrollmentEffects
            onlySimulated = enrolled.enrollments.count == 1 && enrolled.enrollments[0].sequence == sequence
        }

        /// Resets `state` to this profile's state after enrolling, read in place rather than copied out.
        func enroll(_ state: inout LeadState) { state.reset(to: enrolled) }
    }

    init(setup: SimulationSetup, engine: Engine, reps: [Rep], email: String, effectsActedOn: EffectKinds) {
        population = setup.population
        self.engine = engine
        sequence = setup.sequence
        start = setup.start
        self.effectsActedOn = effectsActedOn
        self.reps = reps
        var leads: [String: Lead] = [:]
        for mix in [population.timeZones] + population.personas.compactMap(\.timeZones) {
            for name in mix.values { leads[name] = Lead(id: "", email: email, timeZone: TimeZone(identifier: name)) }
        }
        self.leads = leads
        self.email = email
        var first: [Int] = [], total = 0
        var radices: [Int] = [], radixStart: [Int] = []
        for persona in population.personas {
            first.append(total)
            radixStart.append(radices.count)
            radices += persona.attributes.map(\.mix.values.count) + [(persona.timeZones ?? population.timeZones).values.count]
            total += (radices[radixStart.last!...] + [reps.count]).reduce(1) { product, size in min(Self.limit + 1, product * size) }
        }
        self.radices = radices
        self.radixStart = radixStart
        firstProfile = total <= Self.limit ? first : nil
        built = Array(repeating: nil, count: total <= Self.limit ? total : 0)
    }

    /// The lead and enrollment of a prospect of persona `persona`, drawn the time zone at `zone`
    /// in its mix, the attribute values at `values` in theirs, and rep `rep`.
    mutating func prospect(persona: Int, zone: Int, values: [Int], rep: Int) -> Profile {
        guard let firstProfile else { return make(persona: persona, zone: zone, values: values, rep: rep) }
        let base = radixStart[persona]
        var number = 0
        for index in values.indices { number = number * radices[base + index] + values[index] }
        number = (number * radices[base + values.count] + zone) * reps.count + rep + firstProfile[persona]
        if let profile = built[number] { return profile }
        let profile = make(persona: persona, zone: zone, values: values, rep: rep)
        built[number] = profile
        return profile
    }

    private func zoneMix(of persona: Int) -> Mix<String> {
        population.personas[persona].timeZones ?? population.timeZones
    }

    private func make(persona: Int, zone: Int, values: [Int], rep: Int) -> Profile {
        let zoneName = zoneMix(of: persona).values[zone]
        var attributes: [String: String] = [:]
        for (index, (name, mix)) in population.personas[persona].attributes.enumerated() {
            attributes[name] = mix.values[values[index]]
        }
        var lead = leads[zoneName] ?? Lead(id: "", email: email)
        lead.owner = reps[rep]
        lead.attributes = attributes
        var state = engine.start(lead, at: start)
        var effects: [Effect] = []
        engine.step(
            &state, lead: lead, input: .enroll(sequence: sequence), at: start, into: &effects, keeping: effectsActedOn)
        return Profile(lead: lead, enrolled: state, enrollmentEffects: effects, sequence: sequence)
    }
}
