import Foundation

/// The work of one `Engine.step` call: the state being changed and the effects collected so far.
///
/// Not copyable: the pass stands for the call, and lends itself to conditions rather than being
/// copied for them.
struct EnginePass: ~Copyable {
    let engine: Engine
    let now: Date
    /// The kinds of effect the caller acts on; the others are not built.
    let wanted: EffectKinds
    /// The caller's lead, state and effect buffer, lent where they lie and reached through `lead`,
    /// `state` and `effects`: EnginePass+Lending.swift holds every pointer and says what keeps each
    /// valid. The engine, by contrast, is held by value: lent, its rules were retained at every use.
    let loans: PassLoans
    /// Engagement decayed to `now`, refreshed whenever the score changes: conditions read it many
    /// times per pass, and decaying costs an `exp2`.
    private(set) var engagement: Double
    /// Enrollments (by index, the first 64) whose unfired thresholds were all checked and none
    /// held, and whether no automatic lifecycle move held, since the facts conditions read last
    /// changed. Until they change, checking again would find the same: `settle` skips it.
    private var quietThresholds: UInt64 = 0
    var transitionsAreQuiet = false
    /// How many times the facts conditions read have changed during the pass.
    private var factChanges = 0

    init(engine: Engine, now: Date, wanted: EffectKinds, loans: PassLoans) {
        self.engine = engine
        self.now = now
        self.wanted = wanted
        self.loans = loans
        engagement = 0
        engagement = state.score.value(at: now, model: engine.rules.definitions.scoring)
    }

    /// The lifecycle, lent where it lies in the definitions rather than copied out (a copy retains
    /// everything it holds, and a hand-off reads it several times).
    var lifecycle: Lifecycle {
        _read { yield engine.rules.definitions.lifecycle }
    }
    var totalScore: Double { state.fitPoints + engagement }

    func wants(_ kind: EffectKinds) -> Bool { wanted.contains(kind) }

    /// Brings what conditions see of the score up to date; called after every change to it.
    mutating func refreshEngagement() {
        let rules = engine.rules
        engagement = state.score.value(at: now, model: rules.definitions.scoring)
        factsChanged()
    }

    /// Forgets which checks were found quiet; called after every change to the score, the stage
    /// or the history.
    mutating func factsChanged() {
        quietThresholds = 0
        transitionsAreQuiet = false
        factChanges += 1
    }

    func thresholdsAreQuiet(_ index: Int) -> Bool { index < 64 && quietThresholds & (1 << UInt64(index)) != 0 }

    mutating func markThresholdsQuiet(_ index: Int) {
        if index < 64 { quietThresholds |= 1 << UInt64(index) }
    }

    /// The sequence an enrollment belongs to, found by the slot the engine gave it.
    func sequenceSlot(of index: Int) -> SequenceSlot? {
        let slots = engine.rules.slots, slot = state.enrollments[index].slot
        if slot >= 0, slot < slots.count { return slots[slot] }
        return engine.slot(for: state.enrollments[index].sequence).map { slots[$0] }
    }

    /// Who speaks for the lead on the sales side: its owner, or the lifecycle's default queue.
    var rep: Rep? { engine.rules.definitions.lifecycle.rep(for: lead) }

    /// Runs everything the last change made due: lifecycle moves, thresholds, finished waits and
    /// due steps, until nothing changes (bounded, so a definition fault cannot spin).
    mutating func settle() {
        for _ in 0..<16 {
            var changed = false
            // Sequences first: their thresholds hand off with their own reason, before the
            // lifecycle's generic rule moves the lead.
            for index in state.enrollments.indices where isActive(index) {
                guard let changedHere = settleInLentSlot(index) else {
                    if isDue(index) { end(index, .exited(.stalled)) }
                    continue
                }
                changed = changedHere || changed
            }
            changed = applyAutomaticTransition() || changed
            if !changed { return }
        }
    }

    /// One round of `settle` for the enrollment at `index`, whose sequence is in `slot`: true when
    /// it changed a fact conditions read.
    mutating func settle(_ index: Int, in slot: SequenceSlot) -> Bool {
        var changed = checkThresholds(index, in: slot)
        if state.enrollments[index].awaiting { changed = checkAwaitedCondition(index, in: slot) || changed }
        if isDue(index) {
            // Steps that change no fact (a send, a pause) leave every check as it was, and the
            // enrollment no longer due: nothing to look at again for them.
            let before = factChanges
            run(index, in: slot)
            changed = changed || factChanges != before
        }
        return changed
    }

    /// Whether an enrollment is active, read from its status in place: asking the enrollment would
    /// copy it out of the array first.
    func isActive(_ index: Int) -> Bool {
        if case .active = state.enrollments[index].status { true } else { false }
    }

    func isDue(_ index: Int) -> Bool {
        guard isActive(index) else { return false }
        guard let wake = state.enrollments[index].wakeAt else { return true }
        return wake <= now
    }

    mutating func end(_ index: Int, _ status: Enrollment.Status) {
        guard isActive(index) else { return }
        state.enrollments[index].status = status
        state.enrollments[index].wakeAt = nil
        state.enrollments[index].awaiting = false
        let sequence = state.enrollments[index].sequence
        switch status {
        case let .exited(reason): if wants(.exited) { effects.append(.exited(sequence: sequence, reason: reason)) }
        case .completed: if wants(.completed) { effects.append(.completed(sequence: sequence)) }
        case .handedOff, .active: break
        }
    }

    mutating func adjustScore(by delta: Double, reason: String) {
        let before = totalScore
        let now = now, decayed = engagement
        changeScore { score, _ in score.adjust(by: delta, at: now, decayedValue: decayed) }
        refreshEngagement()
        let after = totalScore
        if after != before, wants(.scoreChanged) {
            effects.append(.scoreChanged(from: before, to: after, reason: reason))
        }
    }
}

/// Conditions read the lead's state in place during a pass.
extension EnginePass: ConditionFacts {
    var score: Double { totalScore }
    var fitPoints: Double { state.fitPoints }
    var grade: String { state.grade }
    var stage: String { state.stage }
    func has(_ activity: Condition.Activity, category: String?) -> Bool { state.history.has(activity, category: category) }
    func attribute(_ name: String) -> String? { lead.value(of: name) }
}
