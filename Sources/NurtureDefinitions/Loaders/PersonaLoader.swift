import Foundation
import NurtureCore
import NurturePersonas
import Yams

/// `personas.yml` -> ``Population``: the behaviour model the simulator draws prospects from.
public enum PersonaLoader {
    public static func load(path: String) -> (population: Population?, diagnostics: Diagnostics) {
        var diagnostics = Diagnostics()
        guard let node = YAMLSource.load(path: path, displayPath: path, into: &diagnostics) else { return (nil, diagnostics) }
        var reader = NodeReader(file: path)
        let population = parse(node, reader: &reader)
        diagnostics.append(contentsOf: reader.diagnostics)
        return (diagnostics.hasErrors ? nil : population, diagnostics)
    }

    /// The name a definitions folder gives its persona file, which `simulate` reads by default.
    public static let fileName = "personas.yml"

    /// Whether `path` is a persona file rather than a sequence: named `personas.yml`, or a YAML
    /// file with a top-level `personas:` key (`examples/personas/b2b-saas.yml`). Read from the text,
    /// so a persona file with a syntax error is still recognised, and reported as one.
    public static func isPersonaFile(path: String) -> Bool {
        if (path as NSString).lastPathComponent == fileName { return true }
        var unread = Diagnostics()
        guard path.hasSuffix(".yml") || path.hasSuffix(".yaml"), let text = TextFile.read(path: path, into: &unread) else { return false }
        return isPersonaText(text)
    }

    /// Whether YAML text already read is a persona file's: it has a top-level `personas:` key.
    static func isPersonaText(_ text: String) -> Bool {
        text.split(separator: "\n").contains { $0.hasPrefix("personas:") }
    }

    static let personaKeys = [
        "id", "name", "share", "high_intent", "open", "click", "reply", "unsubscribe", "bounce", "machine_open",
        "open_delay", "click_delay", "fatigue", "clicks", "visits", "fit", "time_zones",
    ]

    static func parse(_ root: Node, reader: inout NodeReader) -> Population? {
        guard let fields = reader.mapping(root, "personas.yml", keys: ["version", "time_zones", "personas", "reps"]) else { return nil }
        let version = reader.required(fields, "version").flatMap { reader.integer($0, "version", atLeast: 1) } ?? 1
        let zones = reader.required(fields, "time_zones").flatMap { zoneMix($0, reader: &reader) }
        var personas: [Persona] = []
        if let node = reader.required(fields, "personas"), let items = reader.list(node, "personas") {
            if items.isEmpty { reader.error("personas lists no persona; give at least one", at: node) }
            // Shares are checked only when every persona loaded: one that was dropped for its own
            // error would otherwise make correct shares look wrong.
            var complete = true
            for item in items {
                guard let persona = self.persona(item, reader: &reader) else {
                    complete = false
                    continue
                }
                if personas.contains(where: { $0.id == persona.id }) {
                    reader.error("duplicate persona id '\(persona.id)'", at: item)
                    complete = false
                    continue
                }
                personas.append(persona)
            }
            let total = personas.reduce(0) { $0 + $1.share }
            if complete, !personas.isEmpty, abs(total - 1) > 0.001 {
                reader.error("persona shares add up to \(format(total)), not 1", at: node)
            }
        }
        let reps = fields["reps"].flatMap { RepBehaviourLoader.parse($0, reader: &reader) }
        guard let zones, !personas.isEmpty else { return nil }
        return Population(version: version, personas: personas, timeZones: zones, reps: reps)
    }

    static func format(_ value: Double) -> String { String(format: "%.3f", value) }

    static func persona(_ node: Node, reader: inout NodeReader) -> Persona? {
        guard let fields = reader.mapping(node, "a persona", keys: personaKeys),
              let id = reader.required(fields, "id").flatMap({ reader.identifier($0, "persona id") })
        else { return nil }
        func probability(_ key: String, required: Bool = true) -> Double? {
            guard let node = required ? reader.required(fields, key) : fields[key] else { return nil }
            guard let value = reader.number(node, key) else { return nil }
            guard (0...1).contains(value) else {
                reader.error("\(key) is a probability and must be between 0 and 1, found \(Condition.number(value))", at: node)
                return nil
            }
            return value
        }
        let share = probability("share")
        let open = probability("open"), click = probability("click"), reply = probability("reply")
        let unsubscribe = probability("unsubscribe")
        let bounce = probability("bounce", required: false) ?? 0
        let machineOpen = probability("machine_open", required: false) ?? 0
        let fatigue = probability("fatigue", required: false) ?? 1
        let openDelay = fields["open_delay"].flatMap { delay($0, "open_delay", reader: &reader) }
            ?? LogNormalDelay(median: .hours(4), spread: 1)
        let clickDelay = fields["click_delay"].flatMap { delay($0, "click_delay", reader: &reader) }
            ?? LogNormalDelay(median: .minutes(2), spread: 0.5)
        let clicks = fields["clicks"].flatMap { mix($0, "clicks", reader: &reader) }
        var visitsPerDay = 0.0
        var pages: Mix<String>?
        if let node = fields["visits"], let visits = reader.mapping(node, "visits", keys: ["per_day", "pages"]) {
            if let rate = reader.required(visits, "per_day").flatMap({ reader.number($0, "per_day") }) {
                if rate < 0 || rate > 50 {
                    reader.error("per_day must be between 0 and 50 visits a day, found \(Condition.number(rate))", at: visits["per_day"]!)
                } else {
                    visitsPerDay = rate
                }
            }
            pages = reader.required(visits, "pages").flatMap { mix($0, "pages", reader: &reader) }
        }
        var attributes: [(String, Mix<String>)] = []
        if let node = fields["fit"], case let .mapping(mapping) = node {
            for (key, value) in mapping {
                guard let name = reader.identifier(key, "an attribute"), let mix = mix(value, name, reader: &reader) else { continue }
                attributes.append((name, mix))
            }
        } else if let node = fields["fit"] {
            reader.error("expected fit as a mapping of attribute to value mix, e.g. {title: {VP Sales: 0.3, ...}}", at: node)
        }
        let zones = fields["time_zones"].flatMap { zoneMix($0, reader: &reader) }
        let highIntent = fields["high_intent"].flatMap { reader.bool($0, "high_intent") } ?? false
        guard let share, let open, let click, let reply, let unsubscribe else { return nil }
        return Persona(
            id: id, name: fields["name"].flatMap { reader.string($0, "a name") }, share: share, highIntent: highIntent,
            open: open, click: click, reply: reply, unsubscribe: unsubscribe, bounce: bounce, machineOpen: machineOpen,
            openDelay: openDelay, clickDelay: clickDelay, fatigue: fatigue, clickCategories: clicks,
            visitsPerDay: visitsPerDay, visitPages: pages, attributes: attributes, timeZones: zones)
    }

    static func delay(_ node: Node, _ what: String, reader: inout NodeReader) -> LogNormalDelay? {
        guard let fields = reader.mapping(node, what, keys: ["median", "spread"]),
              let median = reader.required(fields, "median").flatMap({ reader.span($0, "median") }),
              let spreadNode = reader.required(fields, "spread"),
              let spread = reader.number(spreadNode, "spread")
        else { return nil }
        guard (0...5).contains(spread) else {
            reader.error("spread is the standard deviation of the log of the delay; use 0 to 5, found \(Condition.number(spread))", at: spreadNode)
            return nil
        }
        return LogNormalDelay(median: median, spread: spread)
    }

    /// `{value: share, ...}` with shares that add up to 1.
    static func mix(_ node: Node, _ what: String, reader: inout NodeReader) -> Mix<String>? {
        guard case let .mapping(mapping) = node, !mapping.isEmpty else {
            reader.error("expected \(what) as a mapping of value to share, e.g. {pricing: 0.3, blog: 0.7}", at: node)
            return nil
        }
        var weighted: [(String, Double)] = []
        for (key, value) in mapping {
            guard let name = reader.string(key, "a value"), let share = reader.number(value, "a share") else { continue }
            guard (0...1).contains(share) else {
                reader.error("a share must be between 0 and 1, found \(Condition.number(share))", at: value)
                continue
            }
            weighted.append((name, share))
        }
        let total = weighted.reduce(0) { $0 + $1.1 }
        guard weighted.count == mapping.count else { return nil }
        guard abs(total - 1) <= 0.001 else {
            reader.error("the shares in \(what) add up to \(format(total)), not 1", at: node)
            return nil
        }
        return Mix(weighted)
    }

    static func zoneMix(_ node: Node, reader: inout NodeReader) -> Mix<String>? {
        var valid = true
        if case let .mapping(mapping) = node {
            for (key, _) in mapping where reader.timeZone(key) == nil { valid = false }
        }
        let zones = mix(node, "time_zones", reader: &reader)
        return valid ? zones : nil
    }
}
