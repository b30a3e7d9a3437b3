/// The lifecycle's transitions sorted by what sets them off, so that the engine, which looks for
/// moves after every change, reads only those that can apply.
struct LifecycleMoves: Sendable {
    /// A move set off by a condition, with the stages it starts from as a list: a handful of short
    /// names compare faster than they hash.
    struct Conditional: Sendable {
        let transition: StageTransition
        /// The condition in words, spelled out once: it is the reason of the move.
        let reason: String
        let compiled: CompiledCondition
        let from: [String]

        func starts(from stage: String) -> Bool { from.isEmpty || from.contains(stage) }
    }

    /// Condition moves in definition order.
    let conditional: [Conditional]
    /// Event moves by kind ordinal, each list in definition order.
    let onEvent: [[StageTransition]]
    /// The kinds (by ordinal, as bits) that set off some move. Most events set off none, and
    /// reading their empty list retained and released it.
    private let kindsWithMoves: UInt64

    func anyMove(on kind: EngagementEvent.Kind) -> Bool { kindsWithMoves & (1 << UInt64(kind.ordinal)) != 0 }

    init(_ transitions: [StageTransition]) {
        conditional = transitions.compactMap { transition in
            guard case let .condition(condition) = transition.trigger else { return nil }
            return Conditional(
                transition: transition, reason: condition.description, compiled: CompiledCondition(condition),
                from: Array(transition.from))
        }
        let onEvent = EngagementEvent.Kind.allCases.map { kind in
            transitions.filter { $0.trigger == .event(kind) }
        }
        self.onEvent = onEvent
        kindsWithMoves = onEvent.indices.reduce(0) { bits, ordinal in
            onEvent[ordinal].isEmpty ? bits : bits | 1 << UInt64(ordinal)
        }
    }
}
