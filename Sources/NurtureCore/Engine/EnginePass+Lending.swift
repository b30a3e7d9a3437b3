import Foundation

// Every pointer the engine lends, and the one reference it lends unretained, live in this file.
// A pass works on the caller's lead, state and effect buffer where they lie rather than on copies.
// Moving the state into the pass and back out cost a retain and a release of every array and
// string in it on every call, and holding the lead by value cost one more. Nothing outside this
// file touches the pointers; the pass reads and changes them through the accessors below.
//
// What keeps each pointer valid:
// - `lead`, `state` and `effects` come from `withUnsafePointer`/`withUnsafeMutablePointer` over
//   `Engine.step`'s own parameters. `withPass` builds the pass inside those scopes and the pass
//   ends with them: it is `~Copyable` and only lent (`inout`) to the body, which cannot escape,
//   so no pointer outlives the call.
// - Nothing else reaches the state or the effects while the pass runs: `Engine.step` holds them
//   `inout`, so the caller's exclusive access covers the whole pass. Inside, every read and write
//   goes through the accessors, one at a time, as with a stored property.
// - The scoring model lent to `changeScore`, and the sequence slot lent unretained to
//   `settleInLentSlot`, live in the engine's rules: a class the pass holds (through `engine`) for
//   its whole life, whose arrays never change after they are built.

/// The caller's lead, state and effect buffer, lent to one pass where they lie.
struct PassLoans {
    fileprivate let lead: UnsafePointer<Lead>
    fileprivate let state: UnsafeMutablePointer<LeadState>
    fileprivate let effects: UnsafeMutablePointer<[Effect]>
}

extension Engine {
    /// Runs `body` on a pass over `lead`, `state` and `effects`, lent where they lie for the
    /// length of the call.
    func withPass(
        lead: Lead, state: inout LeadState, effects: inout [Effect], at now: Date, wanted: EffectKinds,
        _ body: (inout EnginePass) -> Void
    ) {
        withUnsafePointer(to: lead) { lead in
            withUnsafeMutablePointer(to: &state) { state in
                withUnsafeMutablePointer(to: &effects) { effects in
                    var pass = EnginePass(
                        engine: self, now: now, wanted: wanted, loans: PassLoans(lead: lead, state: state, effects: effects))
                    body(&pass)
                }
            }
        }
    }
}

extension EnginePass {
    var lead: Lead {
        unsafeAddress { loans.lead }
    }

    var state: LeadState {
        unsafeAddress { UnsafePointer(loans.state) }
        nonmutating unsafeMutableAddress { loans.state }
    }

    var effects: [Effect] {
        unsafeAddress { UnsafePointer(loans.effects) }
        nonmutating unsafeMutableAddress { loans.effects }
    }

    /// Changes the score with the scoring model lent in place. Passed as a plain argument while the
    /// state is changed through the pass's pointer, the model would be copied (its arrays retained
    /// and released) on every event.
    func changeScore(_ change: (inout Score, ScoringModel) -> Void) {
        withUnsafePointer(to: engine.rules.definitions.scoring) { change(&state.score, $0.pointee) }
    }
}

extension EnginePass {
    /// One round of `settle` for the enrollment at `index`, its sequence slot lent unretained
    /// (nil when the sequence is gone). Settling reads an enrollment's slot about once per engine
    /// call; a retain and a release of it there cost about 2% of the simulator's instructions, so
    /// this is the one place that lends a reference unretained. The engine's rules hold every slot
    /// for the whole pass (see above).
    ///
    /// The standard library has no supported way to borrow a class reference out of an array:
    /// `withUnsafeBufferPointer` retained the array instead, which cost more, and reading the slot
    /// through `Array.subscript` retains it. Threshold conditions and the enrolment checks read
    /// their references plainly: measured, they cost nothing.
    mutating func settleInLentSlot(_ index: Int) -> Bool? {
        guard let slot = sequenceSlot(of: index).map(Unmanaged.passUnretained) else { return nil }
        return slot._withUnsafeGuaranteedRef { settle(index, in: $0) }
    }
}
