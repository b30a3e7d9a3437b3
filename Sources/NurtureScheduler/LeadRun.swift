import Foundation
import NurtureCore
import NurtureMail
import NurtureStore

/// One claimed lead through the engine: what arrived for it, in order, then the time that has
/// passed; and what to write back.
struct LeadRun {
    let update: LeadUpdate

    init(engine: Engine, definitions: DefinitionSet, claimed: ClaimedLead, now: Date) {
        let lead = claimed.lead
        let lifecycle = definitions.lifecycle
        var state = claimed.state ?? engine.start(lead, at: claimed.inbox.first.map { min($0.at, now) } ?? now)
        var sends: [QueuedSend] = []
        var handOffs: [NewHandOff] = []
        var notices: [NewNotice] = []
        let routing = lifecycle.routing
        let channels: [RepNotice.Channel] = lifecycle.notices.webhook == nil ? [.email] : [.email, .webhook]
        var suppression: (String, String)?
        var audit: [String] = []
        var clock = Date.distantPast

        func apply(_ input: Input, at time: Date) {
            // Items can arrive out of order; the engine only moves forward.
            clock = max(clock, time)
            for effect in engine.step(&state, lead: lead, input: input, at: clock) {
                switch effect {
                case let .send(send): sends.append(QueuedSend(send: send, leadID: lead.id))
                case let .handOff(handOff):
                    // Routed when recorded, where the day's counts are consistent across processes.
                    handOffs.append(NewHandOff(handOff, summary: nil, definitionsVersion: lifecycle.version, routing: routing))
                    if let rep = handOff.rep ?? lifecycle.defaultOwner {
                        notices.append(NewNotice(
                            kind: .handOff, rep: rep, detail: .init(sequence: handOff.sequence, at: clock), channels: channels,
                            handOffIndex: handOffs.count - 1))
                    }
                    audit.append(routing == nil ? "hand-off to \(handOff.rep?.email ?? "sales"): \(handOff.reason)" : "hand-off: \(handOff.reason)")
                case let .suppressed(kind):
                    suppression = (lead.email, kind.rawValue)
                    audit.append("suppressed: \(kind.rawValue)")
                case let .enrolled(sequence): audit.append("enrolled in \(sequence)")
                case let .enrollmentRefused(sequence, reason): audit.append("not enrolled in \(sequence): \(reason)")
                case let .exited(sequence, reason): audit.append("left \(sequence): \(reason)")
                case let .completed(sequence): audit.append("completed \(sequence)")
                case let .stageChanged(from, to, reason): audit.append("stage \(from) -> \(to): \(reason)")
                case let .actionRefused(action, stage): audit.append("refused \(action) in stage \(stage)")
                case let .task(rep, title, due, sequence):
                    let filled = Self.filled(title, lead: lead, rep: rep)
                    if let to = rep ?? lifecycle.defaultOwner {
                        notices.append(NewNotice(
                            kind: .task, rep: to, detail: .init(title: filled, due: due, sequence: sequence, at: clock), channels: channels))
                        audit.append("task queued for \(to.email) (\(sequence)): \(filled)")
                    } else {
                        audit.append("task with no one to receive it (no owner, no default owner) (\(sequence)): \(filled)")
                    }
                case let .notifyRep(rep, message, sequence):
                    let filled = Self.filled(message, lead: lead, rep: rep)
                    if let to = rep ?? lifecycle.defaultOwner {
                        notices.append(NewNotice(
                            kind: .notification, rep: to, detail: .init(message: filled, sequence: sequence, at: clock), channels: channels))
                        audit.append("notification queued for \(to.email): \(filled)")
                    } else {
                        audit.append("notification with no one to receive it (no owner, no default owner): \(filled)")
                    }
                case .wake, .scoreChanged: break
                }
            }
        }

        for item in claimed.inbox {
            guard let input = item.input else {
                audit.append("ignored inbox item \(item.id): unknown kind")
                continue
            }
            apply(input, at: item.at)
        }
        apply(.timePassed, at: now)
        update = LeadUpdate(
            leadID: lead.id, state: state, processed: claimed.inbox.map(\.id), sends: sends, handOffs: handOffs,
            notices: notices, suppression: suppression, audit: audit)
    }

    /// A notification or task title with the lead's fields filled in; as written when a field is
    /// missing (the rep still hears of the lead, and the audit line says so).
    static func filled(_ text: String, lead: Lead, rep: Rep?) -> String {
        (try? TemplateText.render(text, fields: TemplateFields(lead: lead, rep: rep, sender: rep, unsubscribeURL: nil))) ?? text
    }
}
