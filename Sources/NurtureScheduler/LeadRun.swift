import Foundation
import NurtureCore
import NurtureStore

/// One claimed lead through the engine: what arrived for it, in order, then the time that has
/// passed; and what to write back.
struct LeadRun {
    let update: LeadUpdate

    init(engine: Engine, claimed: ClaimedLead, now: Date) {
        let lead = claimed.lead
        var state = claimed.state ?? engine.start(lead, at: claimed.inbox.first.map { min($0.at, now) } ?? now)
        var sends: [QueuedSend] = []
        var handOffs: [HandOff] = []
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
                    handOffs.append(handOff)
                    audit.append("hand-off to \(handOff.rep?.email ?? "sales"): \(handOff.reason)")
                case let .suppressed(kind):
                    suppression = (lead.email, kind.rawValue)
                    audit.append("suppressed: \(kind.rawValue)")
                case let .enrolled(sequence): audit.append("enrolled in \(sequence)")
                case let .enrollmentRefused(sequence, reason): audit.append("not enrolled in \(sequence): \(reason)")
                case let .exited(sequence, reason): audit.append("left \(sequence): \(reason)")
                case let .completed(sequence): audit.append("completed \(sequence)")
                case let .stageChanged(from, to, reason): audit.append("stage \(from) -> \(to): \(reason)")
                case let .actionRefused(action, stage): audit.append("refused \(action) in stage \(stage)")
                case let .task(rep, title, _, sequence): audit.append("task for \(rep?.email ?? "sales") (\(sequence)): \(title)")
                case let .notifyRep(rep, message, _): audit.append("notified \(rep?.email ?? "sales"): \(message)")
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
            suppression: suppression, audit: audit)
    }
}
