import Foundation

/// The sequence engine: a pure state machine over one lead.
///
/// It reads no clock, file, socket or random number: the caller hands it the lead, the lead's
/// state, one ``Input`` and `now`, and gets back the ``Effect``s to carry out. The simulator calls
/// it on a virtual clock and the scheduler on the real one, so what was dry-run is what runs.
public struct Engine: Sendable {
    /// Held by reference: every step makes a pass that carries the engine, and a reference is one
    /// retain where the definitions are dozens.
    let rules: Rules

    public var definitions: DefinitionSet { rules.definitions }

    /// Steps one enrollment may run in one call before it is judged stuck.
    static let stepBudget = 200

    public init(_ definitions: DefinitionSet) { rules = Rules(definitions) }

    final class Rules: Sendable {
        let definitions: DefinitionSet
        /// How many recent send times to keep for frequency caps.
        let sendsToRemember: Int
        /// Sequences by slot: an enrollment remembers its slot, so the engine finds its sequence
        /// without hashing the id and without copying the sequence on every step.
        let slots: [SequenceSlot]
        /// The sequences' ids in slot order, which is their sorted order.
        let ids: [String]
        let moves: LifecycleMoves
        /// See ``DefinitionSet/timeAloneFiresNothing``: then a wait followed by an email may pause
        /// straight until the email can go.
        let timeAloneFiresNothing: Bool

        init(_ definitions: DefinitionSet) {
            self.definitions = definitions
            sendsToRemember = max(1, definitions.sequences.values.compactMap(\.frequencyCap?.emails).max() ?? 1)
            let ordered = definitions.sequences.values.sorted { $0.id < $1.id }
            slots = ordered.map(SequenceSlot.init)
            ids = ordered.map(\.id)
            moves = LifecycleMoves(definitions.lifecycle.transitions)
            timeAloneFiresNothing = definitions.timeAloneFiresNothing
        }
    }

    var sendsToRemember: Int { rules.sendsToRemember }

    /// The slot of the sequence with this id, found by a binary search of the sorted ids: a definition
    /// set has a handful of sequences, and a comparison or two costs far less than hashing the id.
    func slot(for id: String) -> Int? {
        let ids = rules.ids
        var low = 0, high = ids.count
        while low < high {
            let middle = (low + high) / 2
            if ids[middle] < id { low = middle + 1 } else { high = middle }
        }
        return low < ids.count && ids[low] == id ? low : nil
    }

    /// The state of a lead the engine has not seen before.
    public func start(_ lead: Lead, at now: Date) -> LeadState {
        let fit = definitions.scoring.fitPoints(for: lead)
        return LeadState(
            stage: lead.stage ?? definitions.lifecycle.entryStage,
            score: Score(at: now),
            fitPoints: fit,
            grade: definitions.scoring.grade(forFitPoints: fit)
        )
    }

    /// Applies one input at `now` and returns what to do about it.
    public func step(_ state: inout LeadState, lead: Lead, input: Input, at now: Date) -> [Effect] {
        var effects: [Effect] = []
        step(&state, lead: lead, input: input, at: now, into: &effects)
        return effects
    }

    /// Applies one input at `now`, replacing the contents of `effects` with what to do about it.
    /// For hot loops (the simulator) that reuse one buffer instead of allocating per call.
    public func step(_ state: inout LeadState, lead: Lead, input: Input, at now: Date, into effects: inout [Effect]) {
        step(&state, lead: lead, input: input, at: now, into: &effects, keeping: .all)
    }

    /// Applies one input at `now`, replacing the contents of `effects` with the effects of the kinds
    /// in `kept`, in the order they would have come among all the others. The state changes exactly
    /// as with every kind kept.
    public func step(
        _ state: inout LeadState, lead: Lead, input: Input, at now: Date, into effects: inout [Effect],
        keeping kept: EffectKinds
    ) {
        // Callers that drain the buffer hand it back empty: nothing to remove then.
        if !effects.isEmpty { effects.removeAll(keepingCapacity: true) }
        withPass(lead: lead, state: &state, effects: &effects, at: now, wanted: kept) { pass in
            switch input {
            case let .enroll(sequence): pass.enroll(in: sequence)
            case .timePassed: break
            case let .event(event): pass.handle(event)
            case let .repAction(action): pass.handle(action)
            case let .undelivered(sentAt): pass.forgetSend(at: sentAt)
            }
            pass.settle()
        }
    }

    /// What conditions see of the lead at `now`.
    public func facts(_ state: LeadState, lead: Lead, at now: Date) -> Facts {
        let engagement = state.score.value(at: now, model: definitions.scoring)
        return Facts(
            lead: lead, score: state.fitPoints + engagement, engagement: engagement, fitPoints: state.fitPoints,
            grade: state.grade, stage: state.stage, history: state.history)
    }
}
