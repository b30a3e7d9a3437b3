import NurtureCore

/// The values a template sees for one lead: the lead's fields, `rep.*` (the owning rep),
/// `sender.*` (who the email is from) and `unsubscribe_url`.
public struct TemplateFields: Sendable {
    public var values: [String: String]

    public init(lead: Lead, rep: Rep?, sender: Rep?, unsubscribeURL: String?) {
        var values = lead.attributes
        values["email"] = lead.email
        func add(_ prefix: String, _ person: Rep?) {
            guard let person else { return }
            values["\(prefix).name"] = person.name
            values["\(prefix).first_name"] = person.firstName
            values["\(prefix).email"] = person.email
            if let title = person.title { values["\(prefix).title"] = title }
            if let phone = person.phone { values["\(prefix).phone"] = phone }
        }
        add("rep", rep)
        add("sender", sender)
        if let unsubscribeURL { values["unsubscribe_url"] = unsubscribeURL }
        self.values = values
    }

    /// Values given as they are, for texts that are not about one lead (rep notices).
    public init(values: [String: String]) { self.values = values }

    /// The nested shape Mustache resolves dotted names against: `rep.name` is `rep` -> `name`.
    var context: [String: Any] {
        var context: [String: Any] = [:]
        var nested: [String: [String: String]] = [:]
        for (key, value) in values {
            let parts = key.split(separator: ".", maxSplits: 1)
            if parts.count == 2 {
                nested[String(parts[0]), default: [:]][String(parts[1])] = value
            } else {
                context[key] = value
            }
        }
        for (key, value) in nested { context[key] = value }
        return context
    }
}
