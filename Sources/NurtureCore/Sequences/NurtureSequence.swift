/// A nurture sequence: who may enter, who it comes from, when it may send, and its steps.
public struct NurtureSequence: Sendable {
    public var id: String
    public var name: String
    public var description: String?
    /// Who may enroll; nil means everyone.
    public var audience: Condition?
    public var reentry: Reentry
    public var sender: Sender
    public var replyTo: Sender?
    public var sendWindow: SendWindow
    public var frequencyCap: FrequencyCap?
    /// Extra lead fields the templates use, beyond the standard ones.
    public var leadFields: [String]
    /// Lead fields the sequence's emails use; a lead without one of them is not enrolled.
    public var requiredFields: [String] = []
    /// Fields of the lead's rep (`title`, `phone`) the emails use as `{{rep.title}}`, or as
    /// `{{sender.title}}` when the rep sends: a lead whose rep lacks one is not enrolled.
    public var requiredRepFields: [String] = []
    public var exits: [ExitTrigger]
    public var thresholds: [Threshold]
    public var steps: [Step]
    /// Whether the HTML part's links go through the web service's signed click links and the
    /// message carries an open pixel (`tracking: true`); off unless asked for.
    public var tracking = false
    /// How fast `enroll --where` starts a list into this sequence unless told otherwise
    /// (`pace: 300/day`); nil starts every lead at once.
    public var pace: EnrollmentPace?

    public init(
        id: String, name: String? = nil, description: String? = nil, audience: Condition? = nil,
        reentry: Reentry = .never, sender: Sender = .owner, replyTo: Sender? = nil,
        sendWindow: SendWindow = .always, frequencyCap: FrequencyCap? = nil, leadFields: [String] = [],
        exits: [ExitTrigger] = [], thresholds: [Threshold] = [], steps: [Step]
    ) {
        self.id = id
        self.name = name ?? id
        self.description = description
        self.audience = audience
        self.reentry = reentry
        self.sender = sender
        self.replyTo = replyTo
        self.sendWindow = sendWindow
        self.frequencyCap = frequencyCap
        self.leadFields = leadFields
        self.exits = exits
        self.thresholds = thresholds
        self.steps = steps
    }

    public func stepIndex(_ id: String) -> Int? { steps.firstIndex { $0.id == id } }

    /// Whether an event ends an enrollment in this sequence. Unsubscribes, hard bounces and
    /// complaints always do, listed or not.
    public func exits(on kind: EngagementEvent.Kind) -> Bool {
        kind.suppresses || exits.contains(.event(kind))
    }

    /// Whether moving to a stage ends an enrollment in this sequence.
    public func exits(onStage stage: String) -> Bool {
        exits.contains { if case let .stageChange(stages) = $0 { stages.contains(stage) } else { false } }
    }
}
