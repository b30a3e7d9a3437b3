/// One step of a sequence. Successors are indices into the sequence's steps, resolved when the
/// definitions are loaded; a nil `next` ends the sequence.
public struct Step: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// Send a template, in the lead's send window and within the frequency cap.
        case email(template: String)
        /// Pause.
        case wait(TimeSpan)
        /// Pause until the condition holds (then go to `onEvent`) or the time is up (then go on).
        case waitFor(Condition, upTo: TimeSpan, onEvent: Int)
        /// The first case whose condition holds decides the next step; otherwise `otherwise`.
        case branch([BranchCase], otherwise: Int)
        /// Add (or remove) engagement points.
        case score(Double, reason: String)
        /// Create a task for the lead's rep, due after `due` when given.
        case repTask(String, due: TimeSpan?)
        /// Tell the lead's rep something.
        case notifyRep(String)
        /// Move the lead to the hand-off stage and hand it to its rep; ends the enrollment.
        case handOff(reason: String)
        /// End the enrollment.
        case end
    }

    public struct BranchCase: Hashable, Sendable {
        public var condition: Condition
        public var goto: Int

        public init(condition: Condition, goto: Int) {
            self.condition = condition
            self.goto = goto
        }
    }

    public var id: String
    public var kind: Kind
    public var next: Int?

    public init(id: String, kind: Kind, next: Int?) {
        self.id = id
        self.kind = kind
        self.next = next
    }

    /// Every step this one may lead to.
    public var successors: [Int] {
        switch kind {
        case .end, .handOff: []
        case let .waitFor(_, _, onEvent): [next, onEvent].compactMap { $0 }
        case let .branch(cases, otherwise): cases.map(\.goto) + [otherwise]
        default: next.map { [$0] } ?? []
        }
    }

    /// Whether time necessarily passes at this step (so a loop through it cannot spin).
    public var pauses: Bool {
        switch kind {
        case .wait, .waitFor: true
        default: false
        }
    }
}
