extension EnginePass {
    /// A rep's action moves the lead as the lifecycle says, or is refused.
    mutating func handle(_ action: RepAction) {
        guard let move = lifecycle.transitions.first(where: { $0.matches(action) && $0.starts(from: state.stage) })
        else {
            if wants(.actionRefused) { effects.append(.actionRefused(action, stage: state.stage)) }
            return
        }
        perform(move, reason: "rep: \(action)")
    }

    /// Applies the first automatic (condition) transition that holds; true when one did.
    mutating func applyAutomaticTransition() -> Bool {
        guard !transitionsAreQuiet else { return false }
        for move in engine.rules.moves.conditional
        where move.starts(from: state.stage) && move.transition.to != state.stage {
            guard move.compiled.holds(self) else { continue }
            perform(move.transition, reason: move.reason)
            return true
        }
        transitionsAreQuiet = true
        return false
    }

    mutating func perform(_ move: StageTransition, reason: String) {
        // Before the move, so that the moves it sets off see the points gone.
        if move.resetsEngagement, engagement > 0 {
            adjustScore(by: -engagement, reason: "engagement reset: \(reason)")
        }
        changeStage(to: move.to, reason: reason)
        if let sequence = move.enroll { enroll(in: sequence) }
    }

    /// Moves the lead, hands it off when it enters the hand-off stage, and ends enrollments whose
    /// sequence exits on that stage.
    mutating func changeStage(to stage: String, reason: String, sequence: String? = nil) {
        let from = state.stage
        guard from != stage else { return }
        state.stage = stage
        factsChanged()
        if wants(.stageChanged) { effects.append(.stageChanged(from: from, to: stage, reason: reason)) }
        if stage == lifecycle.handoffStage { emitHandOff(reason: reason, sequence: sequence) }
        for index in state.enrollments.indices where isActive(index) {
            if sequenceSlot(of: index)?.sequence.exits(onStage: stage) ?? false {
                end(index, .exited(.stageChanged(to: stage)))
            }
        }
    }

    /// A sequence hands the lead to sales: a marketing-owned lead moves to the hand-off stage; a
    /// lead sales already owns goes straight back to its rep; a lead already handed off is left alone.
    mutating func handOff(reason: String, sequence: String) {
        if state.stage == lifecycle.handoffStage { return }
        if lifecycle.owner(of: state.stage) == .marketing {
            changeStage(to: lifecycle.handoffStage, reason: reason, sequence: sequence)
        } else {
            emitHandOff(reason: reason, sequence: sequence)
        }
    }

    mutating func emitHandOff(reason: String, sequence: String?) {
        guard wants(.handOff) else { return }
        let due = lifecycle.serviceLevel(for: lifecycle.handoffStage)?.within
            .deadline(from: now, businessHours: lifecycle.businessHours)
        effects.append(.handOff(HandOff(
            rep: rep, reason: reason, sequence: sequence, score: totalScore, grade: state.grade, due: due, at: now)))
    }
}
