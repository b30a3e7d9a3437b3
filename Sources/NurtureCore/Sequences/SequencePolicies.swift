/// Who an email comes from: a named marketer or the lead's own rep.
public enum Sender: Hashable, Sendable {
    case fixed(Rep)
    /// The lead's owning rep (the lifecycle's default owner when the lead has none).
    case owner

    /// Who this is for a lead whose rep (owner, or the lifecycle's default owner) is `rep`. The
    /// rep is worked out only for an owner-sent email, and then handed over as it is: worked out
    /// beforehand, it was copied once more (a retain and a release) on every send.
    public func resolved(rep: @autoclosure () -> Rep?) -> Rep? {
        switch self {
        case let .fixed(fixed): fixed
        case .owner: rep()
        }
    }
}

/// When a lead may enter a sequence it has been in before.
public enum Reentry: Hashable, Sendable, CustomStringConvertible {
    case never
    case always
    case after(TimeSpan)

    public var description: String {
        switch self {
        case .never: "never"
        case .always: "always"
        case let .after(span): "after \(span.spelledOut)"
        }
    }
}

/// Why an enrollment ends early.
public enum ExitTrigger: Hashable, Sendable, CustomStringConvertible {
    case event(EngagementEvent.Kind)
    /// The lead moved to one of these stages.
    case stageChange(to: Set<String>)

    public var description: String {
        switch self {
        case let .event(kind): kind.rawValue
        case let .stageChange(stages): "stage change to \(stages.sorted().joined(separator: ", "))"
        }
    }
}

/// A score level that, once reached during an enrollment, tells the rep or hands the lead off.
public struct Threshold: Hashable, Sendable {
    public enum Action: Hashable, Sendable {
        case notifyRep(String)
        case handOff(reason: String)
    }

    public var condition: Condition
    public var action: Action

    public init(condition: Condition, action: Action) {
        self.condition = condition
        self.action = action
    }
}
