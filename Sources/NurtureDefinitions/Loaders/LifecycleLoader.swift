import NurtureCore
import Yams

/// `lifecycle.yml` -> ``Lifecycle``, with the positions of stage references kept for the checks
/// that need every file loaded.
enum LifecycleLoader {
    struct Loaded {
        var lifecycle: Lifecycle
        /// Sequences named by `enroll:` with where they were named.
        var enrollments: [(sequence: String, node: Node)]
        /// Automatic transitions' conditions with where they were written.
        var conditions: [(condition: Condition, node: Node)]
        /// Ids of stages written with errors (already reported): references to them are not
        /// reported again as unknown stages.
        var unparsedStages: [String] = []
    }

    static func load(_ root: Node, reader: inout NodeReader) -> Loaded? {
        let keys = ["version", "entry_stage", "handoff_stage", "default_owner", "business_hours", "stages",
                    "transitions", "service_levels", "on_expiry", "volume", "goal", "notices", "rep_send_cap", "reps", "operators", "teams"]
        guard let fields = reader.mapping(root, "lifecycle.yml", keys: keys) else { return nil }
        let version = reader.required(fields, "version").flatMap { reader.integer($0, "version", atLeast: 1) } ?? 1

        var stages: [Stage] = []
        var unparsed: [String] = []
        if let node = reader.required(fields, "stages"), let items = reader.list(node, "stages") {
            for item in items {
                guard let stage = self.stage(item, reader: &reader) else {
                    if case let .scalar(id)? = item.mapping?["id"] { unparsed.append(id.string) }
                    continue
                }
                if stages.contains(where: { $0.id == stage.id }) {
                    reader.error("duplicate stage id '\(stage.id)'", at: item)
                } else {
                    stages.append(stage)
                }
            }
        }
        let ids = stages.map(\.id) + unparsed
        func stageReference(_ key: String) -> String? {
            guard let node = reader.required(fields, key), let id = reader.identifier(node, key) else { return nil }
            return checkStage(id, at: node, known: ids, reader: &reader) ? id : nil
        }
        let entry = stageReference("entry_stage")
        let handoff = stageReference("handoff_stage")
        let owner = fields["default_owner"].flatMap { CommonLoaders.rep($0, "default_owner", reader: &reader) }
        let hours = fields["business_hours"].flatMap { CommonLoaders.window($0, "business_hours", reader: &reader) }

        var transitions: [StageTransition] = []
        var enrollments: [(String, Node)] = []
        var conditions: [(Condition, Node)] = []
        if let node = fields["transitions"], let items = reader.list(node, "transitions") {
            for item in items {
                guard let (transition, enrollNode) = self.transition(item, stages: ids, reader: &reader) else { continue }
                transitions.append(transition)
                if let sequence = transition.enroll, let enrollNode { enrollments.append((sequence, enrollNode)) }
                if case let .condition(condition) = transition.trigger, let node = item.mapping?["when"] {
                    conditions.append((condition, node))
                }
            }
        }
        var levels: [ServiceLevel] = []
        var levelsComplete = true
        if let node = fields["service_levels"], let items = reader.list(node, "service_levels") {
            levels = items.compactMap { serviceLevel($0, stages: ids, reader: &reader) }
            levelsComplete = levels.count == items.count
        }
        // When a service level had errors, it may be the hand-off's: do not also say it is missing.
        if levelsComplete, let handoff, !levels.contains(where: { $0.stage == handoff }), let node = fields.key("handoff_stage") {
            reader.warning("no service level for the hand-off stage '\(handoff)': hand-offs will have no due time", at: node)
        }
        guard let entry, let handoff else { return nil }
        var lifecycle = Lifecycle(
            version: version, stages: stages, entryStage: entry, handoffStage: handoff, defaultOwner: owner,
            businessHours: hours ?? .always, transitions: transitions, serviceLevels: levels)
        if let node = fields["on_expiry"], let expiry = self.expiry(node, lifecycle: lifecycle, reader: &reader) {
            lifecycle.handOffExpiry = expiry
        }
        if let node = fields["reps"], let items = reader.list(node, "reps") {
            for item in items {
                guard let rep = CommonLoaders.rep(item, "a rep", reader: &reader) else { continue }
                if lifecycle.reps.contains(where: { $0.email.lowercased() == rep.email.lowercased() }) {
                    reader.error("rep \(rep.email) is listed twice", at: item)
                } else {
                    lifecycle.reps.append(rep)
                }
            }
        }
        if let node = fields["teams"] {
            lifecycle.teams = TeamLoader.load(node, key: fields.key("teams"), lifecycle: lifecycle, reader: &reader)
        }
        if let node = fields["operators"], let items = reader.list(node, "operators") {
            for item in items {
                guard let person = CommonLoaders.rep(item, "an operator", reader: &reader) else { continue }
                if lifecycle.operators.contains(where: { $0.email.lowercased() == person.email.lowercased() }) {
                    reader.error("operator \(person.email) is listed twice", at: item)
                } else if lifecycle.rep(email: person.email) != nil {
                    reader.error("\(person.email) is a rep; an address is a rep or an operator, not both", at: item)
                } else {
                    lifecycle.operators.append(person)
                }
            }
        }
        lifecycle.volumeGoal = fields["volume"].flatMap { volume($0, reader: &reader) }
        lifecycle.goal = fields["goal"].flatMap { goal($0, reader: &reader) }
        if let node = fields["notices"], let notices = self.notices(node, reader: &reader) { lifecycle.notices = notices }
        if let node = fields["rep_send_cap"], let cap = reader.integer(node, "rep_send_cap", atLeast: 1) {
            if cap > 100_000 {
                reader.error("rep_send_cap is at most 100,000 emails a day per inbox, found \(cap)", at: node)
            } else {
                lifecycle.repSendCap = cap
            }
        }
        return Loaded(lifecycle: lifecycle, enrollments: enrollments, conditions: conditions, unparsedStages: unparsed)
    }

    static func stage(_ node: Node, reader: inout NodeReader) -> Stage? {
        guard let fields = reader.mapping(node, "a stage", keys: ["id", "name", "owner", "description"]),
              let id = reader.required(fields, "id").flatMap({ reader.identifier($0, "stage id") }),
              let ownerNode = reader.required(fields, "owner"),
              let ownerText = reader.string(ownerNode, "an owner")
        else { return nil }
        guard let owner = Stage.Team(rawValue: ownerText) else {
            reader.error("owner must be marketing or sales, found '\(ownerText)'", at: ownerNode)
            return nil
        }
        return Stage(
            id: id, name: fields["name"].flatMap { reader.string($0, "a name") } ?? id, owner: owner,
            description: fields["description"].flatMap { reader.string($0, "a description") })
    }

    @discardableResult
    static func checkStage(_ id: String, at node: Node, known: [String], reader: inout NodeReader) -> Bool {
        guard !known.contains(id) else { return true }
        let hint = NodeReader.suggestion(for: id, among: known).map { "; did you mean '\($0)'?" } ?? ""
        reader.error("unknown stage '\(id)'\(hint)", at: node)
        return false
    }

    static func transition(_ node: Node, stages: [String], reader: inout NodeReader) -> (StageTransition, Node?)? {
        guard let fields = reader.mapping(node, "a transition", keys: ["from", "to", "when", "on", "enroll", "reset_engagement"]),
              let toNode = reader.required(fields, "to"),
              let to = reader.identifier(toNode, "stage")
        else { return nil }
        checkStage(to, at: toNode, known: stages, reader: &reader)
        var from: Set<String> = []
        if let fromNode = fields["from"], let items = reader.list(fromNode, "from stages") {
            for item in items {
                guard let id = reader.identifier(item, "stage") else { continue }
                checkStage(id, at: item, known: stages, reader: &reader)
                from.insert(id)
            }
        }
        let trigger: StageTransition.Trigger
        switch (fields["when"], fields["on"]) {
        case let (when?, nil):
            guard let condition = reader.condition(when) else { return nil }
            trigger = .condition(condition)
        case let (nil, on?):
            guard let text = reader.string(on, "an action or event") else { return nil }
            if let kind = EngagementEvent.Kind(rawValue: text) {
                trigger = .event(kind)
            } else if let action = RepAction(parsing: text) {
                trigger = .action(action)
            } else {
                reader.error("'\(text)' is not a rep action such as accept or reject(not-ready), nor an event", at: on)
                return nil
            }
        case (.some, .some):
            reader.error("a transition has either 'when' (a condition) or 'on' (an action or event), not both", at: node)
            return nil
        case (nil, nil):
            reader.error("a transition needs 'when' (a condition) or 'on' (an action or event)", at: node)
            return nil
        }
        let enroll = fields["enroll"].flatMap { reader.identifier($0, "sequence id") }
        let reset = fields["reset_engagement"].flatMap { reader.bool($0, "reset_engagement") } ?? false
        return (StageTransition(from: from, to: to, trigger: trigger, enroll: enroll, resetsEngagement: reset), fields["enroll"])
    }

    static func serviceLevel(_ node: Node, stages: [String], reader: inout NodeReader) -> ServiceLevel? {
        guard let fields = reader.mapping(node, "a service level", keys: ["stage", "owner", "promise", "within"]),
              let stageNode = reader.required(fields, "stage"),
              let stage = reader.identifier(stageNode, "stage"),
              let ownerNode = reader.required(fields, "owner"),
              let ownerText = reader.string(ownerNode, "an owner"),
              let promise = reader.required(fields, "promise").flatMap({ reader.string($0, "a promise") }),
              let withinNode = reader.required(fields, "within"),
              let withinText = reader.string(withinNode, "a time allowance")
        else { return nil }
        checkStage(stage, at: stageNode, known: stages, reader: &reader)
        guard let owner = Stage.Team(rawValue: ownerText) else {
            reader.error("owner must be marketing or sales, found '\(ownerText)'", at: ownerNode)
            return nil
        }
        guard let within = ServiceLevel.Allowance(parsing: withinText) else {
            reader.error("'\(withinText)' is not a time allowance; write 2d, 8 business hours or 2 business days", at: withinNode)
            return nil
        }
        return ServiceLevel(stage: stage, owner: owner, promise: promise, within: within)
    }

    /// `on_expiry: reject(not-ready)` (an action the lifecycle knows, taken for the silent rep),
    /// `on_expiry: queue` (back to the default owner), or `on_expiry: record`.
    static func expiry(_ node: Node, lifecycle: Lifecycle, reader: inout NodeReader) -> Lifecycle.HandOffExpiry? {
        guard let text = reader.string(node, "an expiry rule") else { return nil }
        switch text {
        case "record": return .recordOnly
        case "queue":
            if lifecycle.defaultOwner == nil {
                reader.error("on_expiry: queue needs a default_owner to hand expired leads to", at: node)
                return nil
            }
            return .queue
        default:
            guard let action = RepAction(parsing: text) else {
                reader.error("on_expiry is record, queue, or a rep action such as reject(not-ready); found '\(text)'", at: node)
                return nil
            }
            if let problem = lifecycle.problem(with: action, inStage: lifecycle.handoffStage) {
                reader.error("on_expiry: \(problem)", at: node)
                return nil
            }
            return .action(action)
        }
    }

    /// `volume: {handoffs: 40, per: week}`: the hand-offs marketing promised sales.
    static func volume(_ node: Node, reader: inout NodeReader) -> Lifecycle.VolumeGoal? {
        guard let fields = reader.mapping(node, "a volume goal", keys: ["handoffs", "per"]),
              let count = reader.required(fields, "handoffs").flatMap({ reader.integer($0, "handoffs", atLeast: 1) }),
              let perNode = reader.required(fields, "per"), let perText = reader.string(perNode, "a period")
        else { return nil }
        guard let per = Lifecycle.VolumeGoal.Period(rawValue: perText) else {
            reader.error("per is week or month, found '\(perText)'", at: perNode)
            return nil
        }
        return Lifecycle.VolumeGoal(handOffs: count, per: per)
    }

    /// `goal: {metric: revenue, amount: 500000, currency: USD, per: quarter}`: the shared number.
    /// Pipeline and revenue need an amount and currency checked as deal values are; accepted
    /// counts hand-offs and takes a whole number and no currency.
    static func goal(_ node: Node, reader: inout NodeReader) -> SharedGoal? {
        guard let fields = reader.mapping(node, "a goal", keys: ["metric", "amount", "currency", "per"]),
              let metricNode = reader.required(fields, "metric"), let metricText = reader.string(metricNode, "a metric"),
              let amountNode = reader.required(fields, "amount"), let perNode = reader.required(fields, "per"),
              let perText = reader.string(perNode, "a period")
        else { return nil }
        guard let metric = SharedGoal.Metric(rawValue: metricText) else {
            reader.error("metric is pipeline, revenue or accepted, found '\(metricText)'", at: metricNode)
            return nil
        }
        guard let per = SharedGoal.Period(rawValue: perText) else {
            reader.error("per is week, month, quarter or year, found '\(perText)'", at: perNode)
            return nil
        }
        if metric == .accepted {
            if let currency = fields["currency"] {
                reader.error("an accepted goal counts hand-offs and takes no currency", at: currency)
                return nil
            }
            guard let count = reader.integer(amountNode, "amount", atLeast: 1) else { return nil }
            guard count <= 1_000_000 else {
                reader.error("amount is at most 1,000,000 hand-offs, found \(count)", at: amountNode)
                return nil
            }
            return SharedGoal(metric: metric, hundredths: Int64(count) * 100, currency: nil, per: per)
        }
        guard let currencyNode = reader.required(fields, "currency"), let currency = reader.string(currencyNode, "a currency"),
              let amount = reader.string(amountNode, "an amount")
        else { return nil }
        switch DealValue.parse(amount: amount, currency: currency) {
        case let .success(value): return SharedGoal(metric: metric, hundredths: value.hundredths, currency: value.currency, per: per)
        case let .failure(problem):
            reader.error(problem.message, at: problem.field == "currency" ? currencyNode : amountNode)
            return nil
        }
    }

    /// `notices: {from: {name, email}, webhook: https://...}`.
    static func notices(_ node: Node, reader: inout NodeReader) -> Lifecycle.NoticeSettings? {
        guard let fields = reader.mapping(node, "notices", keys: ["from", "webhook"]) else { return nil }
        var settings = Lifecycle.NoticeSettings(from: fields["from"].flatMap { CommonLoaders.rep($0, "notices.from", reader: &reader) })
        if let node = fields["webhook"], let url = reader.string(node, "a webhook URL") {
            if let problem = WebhookURL.problem(url) {
                reader.error("webhook: \(problem)", at: node)
            } else {
                settings.webhook = url
            }
        }
        return settings
    }
}
