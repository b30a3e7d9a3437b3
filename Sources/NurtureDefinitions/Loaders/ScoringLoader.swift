import NurtureCore
import Yams

/// `scoring.yml` -> ``ScoringModel``.
enum ScoringLoader {
    static func load(_ root: Node, reader: inout NodeReader) -> ScoringModel? {
        guard let fields = reader.mapping(root, "scoring.yml", keys: ["version", "fit", "engagement", "decay"]) else {
            return nil
        }
        var model = ScoringModel()
        if let node = reader.required(fields, "version") {
            model.version = reader.integer(node, "version", atLeast: 1) ?? 1
        }
        if let fit = fields["fit"], let fitFields = reader.mapping(fit, "fit", keys: ["rules", "grades"]) {
            if let rules = fitFields["rules"], let items = reader.list(rules, "fit rules") {
                model.fitRules = items.compactMap { fitRule($0, reader: &reader) }
            }
            if let grades = reader.required(fitFields, "grades") {
                model = ScoringModel(
                    version: model.version, fitRules: model.fitRules, grades: self.grades(grades, reader: &reader))
            }
        }
        if let engagement = reader.required(fields, "engagement") {
            model.engagement = self.engagement(engagement, reader: &reader)
        }
        if let decay = fields["decay"], let decayFields = reader.mapping(decay, "decay", keys: ["half_life"]),
           let halfLife = reader.required(decayFields, "half_life") {
            model.halfLife = reader.span(halfLife, "half_life")
        }
        return model
    }

    static func fitRule(_ node: Node, reader: inout NodeReader) -> FitRule? {
        let matchers = ["contains", "in", "at_least", "at_most", "between"]
        guard let fields = reader.mapping(node, "a fit rule", keys: ["attribute", "points"] + matchers),
              let attributeNode = reader.required(fields, "attribute"),
              let attribute = reader.identifier(attributeNode, "attribute"),
              let pointsNode = reader.required(fields, "points"),
              let points = reader.number(pointsNode, "points")
        else { return nil }
        let given = matchers.filter { fields[$0] != nil }
        let match: FitRule.Match
        switch Set(given) {
        case ["contains"]:
            guard let words = reader.words(fields["contains"]!, "contains") else { return nil }
            match = .contains(words)
        case ["in"]:
            guard let words = reader.words(fields["in"]!, "in") else { return nil }
            match = .oneOf(words)
        case ["between"]:
            guard let items = reader.list(fields["between"]!, "between"), items.count == 2,
                  let low = reader.number(items[0], "the lower bound"), let high = reader.number(items[1], "the upper bound")
            else {
                reader.error("between takes two numbers: [low, high]", at: fields["between"]!)
                return nil
            }
            guard low <= high else {
                reader.error("between's lower bound \(low) is above its upper bound \(high)", at: fields["between"]!)
                return nil
            }
            match = .range(atLeast: low, atMost: high)
        case ["at_least"], ["at_most"], ["at_least", "at_most"]:
            let low = fields["at_least"].flatMap { reader.number($0, "at_least") }
            let high = fields["at_most"].flatMap { reader.number($0, "at_most") }
            match = .range(atLeast: low, atMost: high)
        default:
            reader.error("a fit rule needs one way to match: contains, in, at_least/at_most or between", at: node)
            return nil
        }
        return FitRule(attribute: attribute, match: match, points: points)
    }

    static func grades(_ node: Node, reader: inout NodeReader) -> [(name: String, minimum: Double)] {
        guard case let .mapping(mapping) = node, !mapping.isEmpty else {
            reader.error("expected grades as a mapping of grade to minimum fit points, e.g. {A: 40, B: 25}", at: node)
            return []
        }
        var grades: [(String, Double)] = []
        for (key, value) in mapping {
            guard let name = reader.identifier(key, "a grade"), let minimum = reader.number(value, "the grade's minimum")
            else { continue }
            grades.append((name, minimum))
        }
        return grades
    }

    static func engagement(_ node: Node, reader: inout NodeReader) -> [EngagementEvent.Kind: EngagementRule] {
        let kinds = EngagementEvent.Kind.allCases.map(\.rawValue)
        guard let fields = reader.mapping(node, "engagement", keys: kinds) else { return [:] }
        var rules: [EngagementEvent.Kind: EngagementRule] = [:]
        for kind in EngagementEvent.Kind.allCases {
            guard let value = fields[kind.rawValue] else { continue }
            if case .scalar = value {
                if let points = reader.number(value, "points for \(kind.rawValue)") {
                    rules[kind] = EngagementRule(points: points)
                }
                continue
            }
            guard let rule = reader.mapping(value, kind.rawValue, keys: ["points", "categories", "cap"]),
                  let pointsNode = reader.required(rule, "points"),
                  let points = reader.number(pointsNode, "points")
            else { continue }
            var categories: [String: Double] = [:]
            if let node = rule["categories"] {
                if case let .mapping(mapping) = node {
                    for (key, value) in mapping {
                        if let name = reader.identifier(key, "a category"), let points = reader.number(value, "points") {
                            categories[name] = points
                        }
                    }
                } else {
                    reader.error("expected categories as a mapping of category to points", at: node)
                }
            }
            var cap: EngagementRule.Cap?
            if let node = rule["cap"], let capFields = reader.mapping(node, "a cap", keys: ["points", "per"]),
               let capPoints = reader.required(capFields, "points").flatMap({ reader.number($0, "cap points") }),
               let per = reader.required(capFields, "per").flatMap({ reader.span($0, "the cap's period") }) {
                if capPoints <= 0 { reader.error("a cap must allow more than zero points", at: capFields["points"]!) }
                cap = EngagementRule.Cap(points: capPoints, per: per)
            }
            rules[kind] = EngagementRule(points: points, categories: categories, cap: cap)
        }
        return rules
    }
}
