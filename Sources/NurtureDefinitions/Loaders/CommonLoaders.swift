import Foundation
import NurtureCore
import Yams

/// Pieces that several definition files share: reps, windows.
enum CommonLoaders {
    /// `{name: ..., email: ..., title: ..., phone: ...}`.
    static func rep(_ node: Node, _ what: String, reader: inout NodeReader) -> Rep? {
        guard let fields = reader.mapping(node, what, keys: ["name", "email", "title", "phone"]),
              let name = reader.required(fields, "name").flatMap({ reader.string($0, "a name") }),
              let emailNode = reader.required(fields, "email"),
              let email = reader.string(emailNode, "an email address")
        else { return nil }
        guard EmailAddress.isPlausible(email) else {
            reader.error("'\(email)' is not an email address", at: emailNode)
            return nil
        }
        return Rep(
            name: name, email: email,
            title: fields["title"].flatMap { reader.string($0, "a title") },
            phone: fields["phone"].flatMap { reader.string($0, "a phone number") })
    }

    /// `{days: [mon, tue], hours: "09:00-17:00", time_zone: America/New_York}`.
    static func window(_ node: Node, _ what: String, reader: inout NodeReader) -> SendWindow? {
        guard let fields = reader.mapping(node, what, keys: ["days", "hours", "time_zone"]) else { return nil }
        var days: Set<Weekday> = []
        if let daysNode = reader.required(fields, "days"), let items = reader.list(daysNode, "days") {
            for item in items {
                guard let text = reader.string(item, "a day") else { continue }
                if let day = Weekday(abbreviation: text) {
                    days.insert(day)
                } else {
                    reader.error("unknown day '\(text)'; use mon, tue, wed, thu, fri, sat, sun", at: item)
                }
            }
            if items.isEmpty { reader.error("\(what) needs at least one day", at: daysNode) }
        }
        var hours: (opens: Int, closes: Int)?
        if let hoursNode = reader.required(fields, "hours"), let text = reader.string(hoursNode, "hours") {
            hours = SendWindow.parseHours(text)
            if hours == nil {
                reader.error("hours '\(text)' must look like \"09:00-17:00\", opening before closing", at: hoursNode)
            }
        }
        let zone = reader.required(fields, "time_zone").flatMap { reader.timeZone($0) }
        guard let hours, let zone, !days.isEmpty else { return nil }
        return SendWindow(days: days, opens: hours.opens, closes: hours.closes, timeZone: zone)
    }
}

/// A cheap sanity check on addresses in definitions; delivery validates them properly.
enum EmailAddress {
    static func isPlausible(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !text.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" })
    }
}
