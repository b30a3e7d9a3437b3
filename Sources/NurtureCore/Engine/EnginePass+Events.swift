extension EnginePass {
    /// A prospect's event: history, score, suppression, exits and event-driven lifecycle moves.
    mutating func handle(_ event: EngagementEvent) {
        // A machine's open or click (category `machine`: a privacy proxy, a link scanner) stays in
        // the store's history, and is no interest: no points, no condition, no move.
        guard !EngagementSummary.isMachine(event) else { return }
        state.history.record(event)
        factsChanged()
        let before = totalScore
        let now = now, decayed = engagement
        changeScore { score, model in score.award(event, at: now, model: model, decayedValue: decayed) }
        refreshEngagement()
        let after = totalScore
        if after != before, wants(.scoreChanged) {
            effects.append(.scoreChanged(from: before, to: after, reason: Self.describe(event)))
        }

        if event.kind.suppresses, state.suppression == nil {
            state.suppression = event.kind
            if wants(.suppressed) { effects.append(.suppressed(event.kind)) }
        }
        for index in state.enrollments.indices where isActive(index) {
            if sequenceSlot(of: index)?.exits(on: event.kind) ?? false {
                end(index, .exited(.event(event.kind)))
            }
        }
        if engine.rules.moves.anyMove(on: event.kind),
           let move = engine.rules.moves.onEvent[event.kind.ordinal].first(where: { $0.starts(from: state.stage) }) {
            perform(move, reason: Self.describe(event))
        }
    }

    static func describe(_ event: EngagementEvent) -> String {
        let name = event.kind.displayName
        return event.category.map { "\(name) (\($0))" } ?? name
    }
}
