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
    /// The sales team: who may request nurtures and receive hand-offs, with the profile fields
    /// (title, phone) their emails use.
    public var reps: [Rep] = []
    /// Teams that share hand-offs nobody owns by capacity (see `HandOffRouting`).
    public var teams: [Team] = []
    /// Marketing ops who sign in to the web pages to see the whole team's service levels.
    public var operators: [Rep] = []
    /// What happens to a hand-off nobody answered within its service level.
    public var handOffExpiry: HandOffExpiry = .recordOnly
    /// How many hand-offs marketing promised sales in a period, if the teams agreed a number.
    public var volumeGoal: VolumeGoal?
    /// The shared number both teams agreed for a period, if they named one.
    public var goal: SharedGoal?
    /// Who rep notices come from, and where their JSON is posted.
    public var notices = NoticeSettings()
    /// The most emails one sending rep's inbox may send in any 24 hours (mailbox providers flag
    /// a personal inbox that sends more; HubSpot's limit per connected inbox is 1,000 a day).
    public var repSendCap = 1_000

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

    /// What expiry does to a hand-off left unanswered past its service level.
    public enum HandOffExpiry: Hashable, Sendable {
        /// Marked expired and counted as a breach; the lead stays where it is.
        case recordOnly
        /// The rep action taken on the silent rep's behalf, e.g. `reject(not-ready)` to recycle.
        case action(RepAction)
        /// Handed again to the default owner's queue, with a new deadline.
        case queue
    }

    /// Marketing's side of the service level: hand-offs delivered per week or month.
    public struct VolumeGoal: Hashable, Sendable {
        public enum Period: String, Hashable, Sendable { case week, month }
        public var handOffs: Int
        public var per: Period

        public init(handOffs: Int, per: Period) {
            self.handOffs = handOffs
            self.per = per
        }
    }

    /// Rep notices: hand-offs, notifications and tasks, by email and optionally a signed webhook.
    public struct NoticeSettings: Hashable, Sendable {
        /// The sender of notice emails; the default owner's address when not set.
        public var from: Rep?
        /// Where each notice is also posted as JSON, signed with HMAC-SHA256 (see `WebhookURL`).
        public var webhook: String?

        public init(from: Rep? = nil, webhook: String? = nil) {
            self.from = from
            self.webhook = webhook
        }
    }

    /// A rep of the team or the default owner, by address (any letter case).
    public func rep(email: String) -> Rep? {
        (reps + [defaultOwner].compactMap { $0 }).first { $0.email.lowercased() == email.lowercased() }
    }

    /// A marketing operator, by address (any letter case).
    public func `operator`(email: String) -> Rep? {
        operators.first { $0.email.lowercased() == email.lowercased() }
    }

    /// Who speaks for a lead on the sales side: its owner, or the default queue.
    public func rep(for lead: Lead) -> Rep? { lead.owner ?? defaultOwner }
}
