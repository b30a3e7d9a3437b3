import NurtureCore
import Yams

/// A sequence file -> ``NurtureSequence``, plus what the cross-file checks need (where things were
/// written, which templates it uses).
enum SequenceLoader {
    struct Loaded {
        var sequence: NurtureSequence
        var idNode: Node
        var stepNodes: [Node]
        /// Every condition with where it was written, for the reachability and reference checks.
        var conditions: [(condition: Condition, node: Node)]
        /// Stages named in `stage_change` exits.
        var exitStages: [(stage: String, node: Node)]
        /// Templates used by email steps, and where.
        var templates: [(name: String, node: Node)]
    }

    static let keys = [
        "id", "name", "description", "audience", "reentry", "sender", "reply_to", "send_window", "frequency_cap",
        "lead_fields", "exits", "thresholds", "steps", "tracking", "pace",
    ]

    static func load(_ root: Node, reader: inout NodeReader) -> Loaded? {
        guard let fields = reader.mapping(root, "a sequence", keys: keys),
              let idNode = reader.required(fields, "id"),
              let id = reader.identifier(idNode, "sequence id")
        else { return nil }
        var conditions: [(Condition, Node)] = []
        var sequence = NurtureSequence(id: id, steps: [])
        sequence.name = fields["name"].flatMap { reader.string($0, "a name") } ?? id
        sequence.description = fields["description"].flatMap { reader.string($0, "a description") }
        if let node = fields["audience"], let audience = reader.condition(node) {
            sequence.audience = audience
            conditions.append((audience, node))
        }
        if let node = fields["reentry"] { sequence.reentry = reentry(node, reader: &reader) ?? .never }
        if let node = reader.required(fields, "sender") { sequence.sender = sender(node, reader: &reader) ?? .owner }
        sequence.replyTo = fields["reply_to"].flatMap { sender($0, reader: &reader) }
        if let node = reader.required(fields, "send_window"),
           let window = CommonLoaders.window(node, "send_window", reader: &reader) {
            sequence.sendWindow = window
        }
        if let node = fields["frequency_cap"] { sequence.frequencyCap = frequencyCap(node, reader: &reader) }
        if let node = fields["lead_fields"] { sequence.leadFields = reader.words(node, "lead fields") ?? [] }
        if let node = fields["tracking"] { sequence.tracking = reader.bool(node, "tracking") ?? false }
        if let node = fields["pace"], let text = reader.string(node, "a pace such as 300/day") {
            do {
                sequence.pace = try EnrollmentPace.parse(pace: text)
            } catch {
                reader.error(error.description, at: node)
            }
        }

        var exitStages: [(String, Node)] = []
        if let node = fields["exits"], let items = reader.list(node, "exits") {
            for item in items {
                guard let (exit, stages) = self.exit(item, reader: &reader) else { continue }
                sequence.exits.append(exit)
                exitStages += stages
            }
        }
        if let node = fields["thresholds"], let items = reader.list(node, "thresholds") {
            for item in items {
                guard let (threshold, conditionNode) = self.threshold(item, reader: &reader) else { continue }
                sequence.thresholds.append(threshold)
                conditions.append((threshold.condition, conditionNode))
            }
        }
        var stepNodes: [Node] = []
        var templates: [(String, Node)] = []
        if let node = reader.required(fields, "steps"), let items = reader.list(node, "steps") {
            if items.isEmpty { reader.error("a sequence needs at least one step", at: node) }
            let loaded = StepLoader.load(items, reader: &reader)
            sequence.steps = loaded.steps
            stepNodes = loaded.idNodes
            conditions += loaded.conditions
            templates = loaded.templates
        }
        return Loaded(
            sequence: sequence, idNode: idNode, stepNodes: stepNodes, conditions: conditions,
            exitStages: exitStages, templates: templates)
    }

    static func reentry(_ node: Node, reader: inout NodeReader) -> Reentry? {
        guard let text = reader.string(node, "a re-entry rule") else { return nil }
        switch text {
        case "never": return .never
        case "always": return .always
        default:
            let words = text.split(separator: " ")
            if words.count == 2, words[0] == "after", let span = TimeSpan(parsing: String(words[1])), span.isPositive {
                return .after(span)
            }
            reader.error("reentry must be never, always or 'after DURATION' (e.g. after 90d), found '\(text)'", at: node)
            return nil
        }
    }

    static func sender(_ node: Node, reader: inout NodeReader) -> Sender? {
        if case let .scalar(scalar) = node {
            guard scalar.string == "owner" else {
                reader.error("a sender is 'owner' (the lead's rep) or {name: ..., email: ...}, found '\(scalar.string)'", at: node)
                return nil
            }
            return .owner
        }
        return CommonLoaders.rep(node, "a sender", reader: &reader).map(Sender.fixed)
    }

    static func frequencyCap(_ node: Node, reader: inout NodeReader) -> FrequencyCap? {
        guard let fields = reader.mapping(node, "frequency_cap", keys: ["emails", "per"]),
              let emails = reader.required(fields, "emails").flatMap({ reader.integer($0, "emails", atLeast: 1) }),
              let per = reader.required(fields, "per").flatMap({ reader.span($0, "the cap's period") })
        else { return nil }
        if emails > 50 { reader.error("a frequency cap of \(emails) emails is no cap; use at most 50", at: fields["emails"]!) }
        return FrequencyCap(emails: emails, per: per)
    }

    static func exit(_ node: Node, reader: inout NodeReader) -> (ExitTrigger, [(String, Node)])? {
        guard let fields = reader.mapping(node, "an exit", keys: ["on", "to"]),
              let onNode = reader.required(fields, "on"),
              let on = reader.string(onNode, "an exit event")
        else { return nil }
        let events: [EngagementEvent.Kind] = [.reply, .meetingBooked, .unsubscribe, .hardBounce, .complaint, .formFill]
        if on == "stage_change" {
            guard let toNode = reader.required(fields, "to"), let items = reader.list(toNode, "stages") else { return nil }
            let stages = items.compactMap { item in reader.identifier(item, "stage").map { ($0, item) } }
            return (.stageChange(to: Set(stages.map(\.0))), stages)
        }
        guard let kind = EngagementEvent.Kind(rawValue: on), events.contains(kind) else {
            let names = events.map(\.rawValue) + ["stage_change"]
            let hint = NodeReader.suggestion(for: on, among: names).map { "; did you mean '\($0)'?" }
                ?? "; expected one of \(names.joined(separator: ", "))"
            reader.error("unknown exit '\(on)'\(hint)", at: onNode)
            return nil
        }
        if let to = fields.key("to") { reader.error("'to' belongs to stage_change exits only", at: to) }
        return (.event(kind), [])
    }

    static func threshold(_ node: Node, reader: inout NodeReader) -> (Threshold, Node)? {
        guard let fields = reader.mapping(node, "a threshold", keys: ["when", "notify_rep", "hand_off"]),
              let whenNode = reader.required(fields, "when"),
              let condition = reader.condition(whenNode)
        else { return nil }
        switch (fields["notify_rep"], fields["hand_off"]) {
        case let (message?, nil):
            return reader.string(message, "a message").map { (Threshold(condition: condition, action: .notifyRep($0)), whenNode) }
        case let (nil, reason?):
            return reader.string(reason, "a reason").map { (Threshold(condition: condition, action: .handOff(reason: $0)), whenNode) }
        default:
            reader.error("a threshold does one thing: notify_rep or hand_off", at: node)
            return nil
        }
    }
}
