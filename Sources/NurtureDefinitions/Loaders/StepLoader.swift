import NurtureCore
import Yams

/// The `steps:` list -> ``Step``s, in two passes: read every step, then resolve the step ids that
/// `next`, `goto` and `on_event` name into indices.
enum StepLoader {
    struct Loaded {
        var steps: [Step] = []
        var idNodes: [Node] = []
        var conditions: [(Condition, Node)] = []
        var templates: [(String, Node)] = []
    }

    /// A step as written, with its references still names.
    private struct Draft {
        enum Kind {
            case email(String)
            case wait(TimeSpan)
            case waitFor(Condition, TimeSpan, onEvent: (String, Node))
            case branch([(Condition, (String, Node))], otherwise: (String, Node))
            case score(Double, String)
            case repTask(String, TimeSpan?)
            case notifyRep(String)
            case handOff(String)
            case end
        }

        var id: String
        var idNode: Node
        var kind: Kind
        var next: (String, Node)?
    }

    static let kinds = ["email", "wait", "wait_for", "branch", "score", "rep_task", "notify_rep", "hand_off", "end"]
    /// Keys that only make sense beside one kind.
    static let companions = ["up_to": "wait_for", "on_event": "wait_for", "reason": "score", "due": "rep_task"]

    static func load(_ items: [Node], reader: inout NodeReader) -> Loaded {
        var drafts: [Draft] = []
        var loaded = Loaded()
        // Ids of steps that were written but had errors (already reported): a reference to one is
        // not an "unknown step", and the graph without them is incomplete.
        var failedIDs = Set<String>()
        var incomplete = false
        for item in items {
            guard let draft = self.draft(item, reader: &reader, loaded: &loaded) else {
                incomplete = true
                if case let .scalar(id)? = item.mapping?["id"] { failedIDs.insert(id.string) }
                continue
            }
            if drafts.contains(where: { $0.id == draft.id }) {
                reader.error("duplicate step id '\(draft.id)'", at: draft.idNode)
                incomplete = true
                continue
            }
            drafts.append(draft)
        }
        let ids = drafts.map(\.id)
        func resolve(_ reference: (String, Node)) -> Int? {
            if let index = ids.firstIndex(of: reference.0) { return index }
            if failedIDs.contains(reference.0) { return nil }
            let hint = NodeReader.suggestion(for: reference.0, among: ids).map { "; did you mean '\($0)'?" } ?? ""
            reader.error("unknown step '\(reference.0)'\(hint)", at: reference.1)
            return nil
        }
        for (index, draft) in drafts.enumerated() {
            let next: Int? = draft.next.map(resolve) ?? (index + 1 < drafts.count ? index + 1 : nil)
            let kind: Step.Kind
            switch draft.kind {
            case let .email(template): kind = .email(template: template)
            case let .wait(span): kind = .wait(span)
            case let .waitFor(condition, upTo, onEvent):
                guard let target = resolve(onEvent) else { continue }
                kind = .waitFor(condition, upTo: upTo, onEvent: target)
            case let .branch(cases, otherwise):
                let resolved = cases.compactMap { condition, reference in
                    resolve(reference).map { Step.BranchCase(condition: condition, goto: $0) }
                }
                guard resolved.count == cases.count, let fallback = resolve(otherwise) else { continue }
                kind = .branch(resolved, otherwise: fallback)
            case let .score(points, reason): kind = .score(points, reason: reason)
            case let .repTask(title, due): kind = .repTask(title, due: due)
            case let .notifyRep(message): kind = .notifyRep(message)
            case let .handOff(reason): kind = .handOff(reason: reason)
            case .end: kind = .end
            }
            loaded.steps.append(Step(id: draft.id, kind: kind, next: next))
            loaded.idNodes.append(draft.idNode)
        }
        // A step that failed to resolve was dropped; indices after it would be wrong, so drop all.
        // Likewise when a step had errors: checking the rest of the graph (reachability, loops)
        // would report the missing step's consequences, not the mistake.
        if loaded.steps.count != drafts.count || incomplete {
            loaded.steps = []
            loaded.idNodes = []
        }
        return loaded
    }

    private static func draft(_ node: Node, reader: inout NodeReader, loaded: inout Loaded) -> Draft? {
        let allowed = ["id", "next"] + kinds + Array(companions.keys).sorted()
        let reported = reader.diagnostics.all.count
        guard let fields = reader.mapping(node, "a step", keys: allowed) else { return nil }
        guard let idNode = reader.required(fields, "id"), let id = reader.identifier(idNode, "step id") else { return nil }
        let given = kinds.filter { fields[$0] != nil }
        // A misspelt kind (`wiat:`) was just reported as an unknown key; saying "no kind" too is noise.
        if given.isEmpty, reader.diagnostics.all.count > reported { return nil }
        guard given.count == 1, let kindName = given.first else {
            let found = given.isEmpty ? "none" : given.joined(separator: ", ")
            reader.error("step '\(id)' must have exactly one of \(kinds.joined(separator: ", ")); found \(found)", at: idNode)
            return nil
        }
        for (companion, owner) in companions where owner != kindName {
            if let key = fields.key(companion) {
                reader.error("'\(companion)' belongs with '\(owner)', not with '\(kindName)'", at: key)
            }
        }
        let value = fields[kindName]!
        let next = fields["next"].flatMap { node in reader.identifier(node, "step id").map { ($0, node) } }
        func reference(_ key: String) -> (String, Node)? {
            guard let node = reader.required(fields, key), let name = reader.identifier(node, "step id") else { return nil }
            return (name, node)
        }

        let kind: Draft.Kind
        switch kindName {
        case "email":
            guard let template = reader.string(value, "a template name") else { return nil }
            loaded.templates.append((template, value))
            kind = .email(template)
        case "wait":
            guard let span = reader.span(value, "a wait") else { return nil }
            kind = .wait(span)
        case "wait_for":
            guard let condition = reader.condition(value),
                  let upTo = reader.required(fields, "up_to").flatMap({ reader.span($0, "up_to") }),
                  let onEvent = reference("on_event")
            else { return nil }
            loaded.conditions.append((condition, value))
            kind = .waitFor(condition, upTo, onEvent: onEvent)
        case "branch":
            guard let branch = self.branch(value, reader: &reader, loaded: &loaded) else { return nil }
            kind = .branch(branch.cases, otherwise: branch.otherwise)
        case "score":
            guard let points = reader.number(value, "points") else { return nil }
            if points == 0 { reader.warning("a score step of 0 points does nothing", at: value) }
            let reason = fields["reason"].flatMap { reader.string($0, "a reason") } ?? "step \(id)"
            kind = .score(points, reason)
        case "rep_task":
            guard let title = reader.string(value, "a task") else { return nil }
            kind = .repTask(title, fields["due"].flatMap { reader.span($0, "due") })
        case "notify_rep":
            guard let message = reader.string(value, "a message") else { return nil }
            kind = .notifyRep(message)
        case "hand_off":
            guard let reason = reader.string(value, "a reason") else { return nil }
            kind = .handOff(reason)
        default:
            guard reader.bool(value, "end") == true else {
                reader.error("write 'end: true' to end the sequence", at: value)
                return nil
            }
            kind = .end
        }
        return Draft(id: id, idNode: idNode, kind: kind, next: next)
    }

    private static func branch(
        _ node: Node, reader: inout NodeReader, loaded: inout Loaded
    ) -> (cases: [(Condition, (String, Node))], otherwise: (String, Node))? {
        guard case .sequence = node, let items = reader.list(node, "branch cases") else {
            reader.error("a branch is a list of {if: CONDITION, goto: STEP} cases ending with {else: STEP}", at: node)
            return nil
        }
        var cases: [(Condition, (String, Node))] = []
        var otherwise: (String, Node)?
        // A case with an error (already reported) fails the whole step: a branch missing a case
        // would make its target look unreachable.
        var failed = false
        for (index, item) in items.enumerated() {
            guard let fields = reader.mapping(item, "a branch case", keys: ["if", "goto", "else"]) else {
                failed = true
                continue
            }
            if let elseNode = fields["else"] {
                if index != items.count - 1 || fields["if"] != nil || fields["goto"] != nil {
                    reader.error("'else' must be the last case of a branch, on its own", at: elseNode)
                    failed = true
                }
                if let name = reader.identifier(elseNode, "step id") { otherwise = (name, elseNode) }
                continue
            }
            guard let ifNode = reader.required(fields, "if"), let gotoNode = reader.required(fields, "goto"),
                  let condition = reader.condition(ifNode), let target = reader.identifier(gotoNode, "step id")
            else {
                failed = true
                continue
            }
            loaded.conditions.append((condition, ifNode))
            cases.append((condition, (target, gotoNode)))
        }
        guard let otherwise else {
            reader.error("a branch must end with an 'else: STEP' case", at: node)
            return nil
        }
        return failed ? nil : (cases, otherwise)
    }
}
