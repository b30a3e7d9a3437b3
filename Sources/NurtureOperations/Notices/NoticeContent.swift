import Foundation
import NurtureCore
import NurtureStore

/// What a rep notice says, as template fields for its email and as the JSON a webhook receives.
/// Both are made from the same values, so a CRM reads what the rep reads.
public struct NoticeContent: Sendable {
    /// The template each kind of notice is written with, under `templates/`.
    public static func templateName(for kind: RepNotice.Kind) -> String {
        switch kind {
        case .handOff: NoticeTemplates.name(.handOff)
        case .notification: NoticeTemplates.name(.notification)
        case .task: NoticeTemplates.name(.task)
        }
    }

    public var fields: [String: String]
    public var payload: Payload

    /// The webhook's JSON body.
    public struct Payload: Codable, Sendable {
        public struct Person: Codable, Sendable {
            public var name: String?
            public var email: String
        }

        public struct LeadPart: Codable, Sendable {
            public var id: String
            public var email: String
            public var name: String
            public var company: String?
            public var stage: String?
        }

        public var kind: String
        public var key: String
        public var lead: LeadPart
        public var rep: Person
        public var handOff: HandOffRecord?
        public var message: String?
        public var task: String?
        public var due: Date?
        public var sequence: String?
        public var definitionsVersion: Int
    }

    /// Why the rep got the hand-off, in words: the routing reason when the lifecycle has teams.
    static func routing(_ reason: String?) -> String {
        switch reason {
        case nil: "you own the lead, or take the queue's"
        case "owner": "you own the lead"
        case let reason?: "shared out by the team's capacity (\(reason))"
        }
    }

    public init(notice: RepNotice, lead: Lead, state: LeadState?, handOff: HandOffRecord?, lifecycle: Lifecycle) {
        let zone = lifecycle.businessHours.timeZone
        func local(_ date: Date?) -> String { date.map { EngagementSummary.local($0, in: zone) } ?? "no deadline set" }
        var fields: [String: String] = [
            "lead.name": lead.displayName, "lead.email": lead.email, "lead.id": lead.id,
            "lead.company": lead.attributes["company"] ?? "(no company on file)",
            "lead.title": lead.attributes["title"] ?? "(no title on file)",
            "lead.stage": state?.stage ?? lead.stage ?? lifecycle.entryStage,
            "rep.name": notice.repName ?? notice.repEmail, "rep.first_name": (notice.repName ?? notice.repEmail).split(separator: " ").first.map(String.init) ?? notice.repEmail,
            "rep.email": notice.repEmail,
        ]
        if let sequence = notice.detail.sequence { fields["sequence"] = sequence }
        if let message = notice.detail.message { fields["message"] = message }
        if let title = notice.detail.title {
            fields["task.title"] = title
            fields["task.due"] = local(notice.detail.due)
        }
        if let handOff {
            fields["handoff.id"] = String(handOff.id)
            fields["handoff.reason"] = handOff.reason
            fields["handoff.score"] = String(Int(handOff.score.rounded()))
            fields["handoff.grade"] = handOff.grade
            fields["handoff.due"] = local(handOff.due)
            fields["handoff.sequence"] = handOff.sequence ?? "a lifecycle move"
            fields["handoff.routing"] = Self.routing(handOff.routeReason)
            fields["sla.promise"] = lifecycle.serviceLevel(for: lifecycle.handoffStage)?.promise ?? "answer the hand-off"
            fields["answer.accept"] = "nurture handoffs accept \(handOff.id)"
            fields["answer.reject"] = "nurture handoffs reject \(handOff.id) --reason REASON"
            fields["answer.reasons"] = Self.rejectReasons(lifecycle).joined(separator: ", ")
            for (key, value) in SummaryText.fields(handOff.summary) { fields["summary.\(key)"] = value }
        }
        self.fields = fields
        payload = Payload(
            kind: notice.kind.rawValue, key: notice.key,
            lead: .init(id: lead.id, email: lead.email, name: lead.displayName, company: lead.attributes["company"],
                        stage: state?.stage ?? lead.stage),
            rep: .init(name: notice.repName, email: notice.repEmail), handOff: handOff, message: notice.detail.message,
            task: notice.detail.title, due: notice.detail.due ?? handOff?.due, sequence: notice.detail.sequence ?? handOff?.sequence,
            definitionsVersion: lifecycle.version)
    }

    /// The reasons a rep may reject with: `reject(not-ready)` -> `not-ready`.
    public static func rejectReasons(_ lifecycle: Lifecycle) -> [String] {
        lifecycle.repActions.filter { $0.verb == "reject" }.compactMap(\.reason)
    }

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try encoder.encode(payload)
    }
}
