/// The stages marketing and sales agreed on, the moves between them, and the service levels.
public struct Lifecycle: Sendable {
    public var version: Int
    public var stages: [Stage]
    /// Where a new lead starts.
    public var entryStage: String
    /// Entering this stage hands the lead to sales (usually the MQL stage).
    public var handoffStage: String
    /// Who receives hand-offs, tasks and notifications for leads without an owner.
    public var defaultOwner: Rep?
    /// The hours in which business-time service levels are counted.
    public var businessHours: SendWindow
    public var transitions: [StageTransition]
    public var serviceLevels: [ServiceLevel]

    public init(
        version: Int = 1, stages: [Stage], entryStage: String, handoffStage: String, defaultOwner: Rep? = nil,
        businessHours: SendWindow = .always, transitions: [StageTransition] = [], serviceLevels: [ServiceLevel] = []
    ) {
        self.version = version
        self.stages = stages
        self.entryStage = entryStage
        self.handoffStage = handoffStage
        self.defaultOwner = defaultOwner
        self.businessHours = businessHours
        self.transitions = transitions
        self.serviceLevels = serviceLevels
    }

    public func stage(_ id: String) -> Stage? { stages.first { $0.id == id } }

    /// The team that owns leads in a stage; marketing for unknown stages.
    public func owner(of stage: String) -> Stage.Team { self.stage(stage)?.owner ?? .marketing }

    /// The service level that applies while a lead sits in a stage.
    public func serviceLevel(for stage: String) -> ServiceLevel? { serviceLevels.first { $0.stage == stage } }

    /// Who speaks for a lead on the sales side: its owner, or the default queue.
    public func rep(for lead: Lead) -> Rep? { lead.owner ?? defaultOwner }
}
