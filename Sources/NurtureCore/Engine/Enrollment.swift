import Foundation

/// One lead's passage through one sequence.
public struct Enrollment: Hashable, Sendable, Codable {
    public enum Status: Hashable, Sendable, Codable {
        case active
        case completed
        case handedOff
        case exited(ExitReason)
    }

    public enum ExitReason: Hashable, Sendable, Codable, CustomStringConvertible {
        case event(EngagementEvent.Kind)
        case stageChanged(to: String)
        /// The steps ran many times without pausing: a definition fault, stopped to protect the lead.
        case stalled

        public var description: String {
            switch self {
            case let .event(kind): kind.displayName
            case let .stageChanged(stage): "moved to \(stage)"
            case .stalled: "stopped: steps ran without pausing"
            }
        }
    }

    public var sequence: String
    /// Where the engine keeps the sequence; -1 until the engine has seen the enrollment.
    var slot = -1
    public var enrolledAt: Date
    public var status: Status = .active
    /// Index of the step to run next; `steps.count` means "finished once woken".
    public var position = 0
    /// Nothing runs before this instant.
    public var wakeAt: Date?
    /// True while inside a `wait_for`: waking means the time ran out.
    public var awaiting = false
    /// Email steps already sent in this enrollment; a step never sends twice.
    public var sentSteps: Set<Int> {
        get { sent.set }
        set { sent = IndexBits(newValue) }
    }
    /// Thresholds already fired in this enrollment, by number; each fires once.
    @_spi(EngineSnapshot) public var fired = IndexBits()
    /// `sentSteps` as the engine reads and writes it: the same numbers as bits.
    @_spi(EngineSnapshot) public var sent = IndexBits()

    /// Stored without the slot: slots are the engine's own numbering, which changes when the
    /// definitions do.
    enum CodingKeys: String, CodingKey {
        case sequence, enrolledAt, status, position, wakeAt, awaiting, fired, sent
    }

    public init(sequence: String, enrolledAt: Date) {
        self.sequence = sequence
        self.enrolledAt = enrolledAt
    }

    /// An enrollment in the sequence the engine keeps at `slot`.
    init(sequence: String, enrolledAt: Date, slot: Int) {
        self.init(sequence: sequence, enrolledAt: enrolledAt)
        self.slot = slot
    }

    public var isActive: Bool {
        if case .active = status { true } else { false }
    }
}
