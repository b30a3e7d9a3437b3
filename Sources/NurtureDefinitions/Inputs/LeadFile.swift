import Foundation
import NurtureCore
import Yams

/// One lead written as YAML (or JSON): `id`, `email`, `time_zone`, `stage`, `owner` ({name, email,
/// title, phone}); every other key is a lead attribute (`first_name`, `company_size`, ...).
public enum LeadFile {
    public static func load(path: String) -> (lead: Lead?, diagnostics: Diagnostics) {
        var diagnostics = Diagnostics()
        guard let node = YAMLSource.load(path: path, displayPath: path, into: &diagnostics) else { return (nil, diagnostics) }
        var reader = NodeReader(file: path)
        let lead = parse(node, reader: &reader)
        diagnostics.append(contentsOf: reader.diagnostics)
        return (diagnostics.hasErrors ? nil : lead, diagnostics)
    }

    static func parse(_ node: Node, reader: inout NodeReader) -> Lead? {
        guard case let .mapping(mapping) = node else {
            reader.error("expected a lead (a mapping of fields), found \(NodeReader.describe(node))", at: node)
            return nil
        }
        var lead = Lead(id: "", email: "")
        var sawEmail = false
        for (keyNode, value) in mapping {
            guard let key = reader.string(keyNode, "a field name") else { continue }
            switch key {
            case "id": lead.id = reader.string(value, "an id") ?? ""
            case "email":
                guard let email = reader.string(value, "an email address") else { continue }
                if EmailAddress.isPlausible(email) { lead.email = email; sawEmail = true } else {
                    reader.error("'\(email)' is not an email address", at: value)
                }
            case "time_zone": lead.timeZone = reader.timeZone(value)
            case "stage": lead.stage = reader.identifier(value, "a stage")
            case "owner": lead.owner = CommonLoaders.rep(value, "the owner", reader: &reader)
            default:
                guard case .scalar = value else {
                    reader.error("lead field '\(key)' must be a single value, found \(NodeReader.describe(value))", at: value)
                    continue
                }
                if let text = reader.string(value, "a value") { lead.attributes[key] = text }
            }
        }
        if !sawEmail, !reader.diagnostics.hasErrors { reader.error("a lead needs an 'email'", at: node) }
        if lead.id.isEmpty { lead.id = lead.email }
        return lead
    }
}
