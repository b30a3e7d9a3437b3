import Foundation

/// Drives one lead through the engine on a virtual clock: inputs at their times, and every wake-up
/// the engine asks for in between. `nurture trace` prints what this returns; tests use it to run
/// weeks of a sequence in microseconds.
public struct Replay: Sendable {
    /// One call to the engine and what it returned.
    public struct Entry: Hashable, Sendable {
        public var at: Date
        public var input: Input
        public var effects: [Effect]
        /// The lead's total score right after the input.
        public var score: Double
        public var stage: String
    }

    public let engine: Engine

    public init(engine: Engine) { self.engine = engine }

    /// Applies `inputs` (sorted by time; ties keep their order) and the wake-ups in between, until
    /// `until`. Wake-ups due at the same instant as an input run first.
    public func run(
        lead: Lead, state: inout LeadState, inputs: [(at: Date, input: Input)], until: Date
    ) -> [Entry] {
        var entries: [Entry] = []
        var pending = inputs.sorted { $0.at < $1.at }[...]
        while true {
            let wake = state.nextWake.flatMap { $0 <= until ? $0 : nil }
            let next = pending.first.flatMap { $0.at <= until ? $0 : nil }
            let item: (at: Date, input: Input)
            if let wake, next.map({ wake <= $0.at }) ?? true {
                // The engine always moves a due enrollment on; a wake-up that repeats means it could not.
                if let last = entries.last, last.input == .timePassed, last.at == wake { return entries }
                item = (wake, .timePassed)
            } else if let next {
                item = next
                pending.removeFirst()
            } else {
                return entries
            }
            let effects = engine.step(&state, lead: lead, input: item.input, at: item.at)
            let facts = engine.facts(state, lead: lead, at: item.at)
            entries.append(Entry(at: item.at, input: item.input, effects: effects, score: facts.score, stage: state.stage))
        }
    }
}
