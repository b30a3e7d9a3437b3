import Foundation
import NurtureCore

/// A lead as stored: plain fields, the zone by its IANA name. Also how `leads show` prints a lead.
public struct LeadProfile: Codable, Sendable {
    struct Person: Codable, Sendable {
        var name: String
        var email: String
        var title: String?
        var phone: String?
    }

    var id: String
    var email: String
    var timeZone: String?
    var stage: String?
    var owner: Person?
    var attributes: [String: String]

    public init(_ lead: Lead) {
        id = lead.id
        email = lead.email
        timeZone = lead.timeZone?.identifier
        stage = lead.stage
        owner = lead.owner.map(Person.init)
        attributes = lead.attributes
    }

    var lead: Lead {
        Lead(id: id, email: email, timeZone: timeZone.flatMap(TimeZone.init(identifier:)), owner: owner?.rep,
             stage: stage, attributes: attributes)
    }
}

extension LeadProfile.Person {
    init(_ rep: Rep) { self.init(name: rep.name, email: rep.email, title: rep.title, phone: rep.phone) }
    var rep: Rep { Rep(name: name, email: email, title: title, phone: phone) }
}

extension LeadProfile: CompactCodable {
    public func write(to writer: inout CompactWriter) {
        writer.write(id)
        writer.write(email)
        writer.write(timeZone)
        writer.write(stage)
        writer.write(owner)
        writer.write(attributes)
    }

    public init(from reader: inout CompactReader) throws {
        id = try reader.string()
        email = try reader.string()
        timeZone = try reader.optional()
        stage = try reader.optional()
        owner = try reader.optional()
        attributes = try reader.dictionary()
    }
}

extension LeadProfile.Person: CompactCodable {
    func write(to writer: inout CompactWriter) {
        writer.write(name)
        writer.write(email)
        writer.write(title)
        writer.write(phone)
    }

    init(from reader: inout CompactReader) throws {
        name = try reader.string()
        email = try reader.string()
        title = try reader.optional()
        phone = try reader.optional()
    }
}
