/// A move between lifecycle stages and what sets it off.
public struct StageTransition: Hashable, Sendable {
    public enum Trigger: Hashable, Sendable {
        /// Checked after every change to the lead: `score >= 80 and fit in [A, B]`.
        case condition(Condition)
        /// A rep's action; a nil reason matches any reason.
        case action(RepAction)
        /// Something the prospect did: `meeting_booked`, `reply`, `form_fill`.
        case event(EngagementEvent.Kind)
    }

    /// Stages the move starts from; empty means any stage.
    public var from: Set<String>
    public var to: String
    public var trigger: Trigger
    /// A sequence to enroll the lead in after the move (recycling into nurture).
    public var enroll: String?
    /// Whether the move sets the lead's engagement points back to zero. A rep who says "not now"
    /// has answered the engagement that made the hand-off; without a reset, the same points would
    /// hand the recycled lead straight back.
    public var resetsEngagement: Bool

    public init(from: Set<String>, to: String, trigger: Trigger, enroll: String? = nil, resetsEngagement: Bool = false) {
        self.from = from
        self.to = to
        self.trigger = trigger
        self.enroll = enroll
        self.resetsEngagement = resetsEngagement
    }

    public func starts(from stage: String) -> Bool { from.isEmpty || from.contains(stage) }

    /// Whether a rep's action sets off this move.
    public func matches(_ action: RepAction) -> Bool {
        guard case let .action(expected) = trigger, expected.verb == action.verb else { return false }
        return expected.reason == nil || expected.reason == action.reason
    }
}
