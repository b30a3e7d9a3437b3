import Foundation
import NurtureCore
import NurtureMail

/// One lead's trace through a sequence, printed in the lead's own time zone.
public struct TimelineReport {
    public let lead: Lead
    public let sequence: NurtureSequence
    public let definitions: DefinitionSet
    public let entries: [Replay.Entry]
    public let start: Date
    /// The lead's state before the first input, as the trace's engine made it.
    public let initial: LeadState

    public init(lead: Lead, sequence: NurtureSequence, definitions: DefinitionSet, entries: [Replay.Entry], start: Date, initial: LeadState) {
        self.lead = lead
        self.sequence = sequence
        self.definitions = definitions
        self.entries = entries
        self.start = start
        self.initial = initial
    }

    var zone: TimeZone { lead.timeZone ?? sequence.sendWindow.timeZone }

    /// A time on the lead's clock, or on another zone's (sales' business hours for due times).
    func time(_ date: Date, in other: TimeZone? = nil) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = other ?? zone
        formatter.dateFormat = "EEE yyyy-MM-dd HH:mm zzz"
        return formatter.string(from: date)
    }

    static func points(_ value: Double) -> String { String(format: "%.1f", value) }

    /// A subject or rep message as the person will read it; a field the lead lacks is shown, not blanked.
    func filled(_ text: String, sender: Rep? = nil) -> String {
        let fields = TemplateFields(
            lead: lead, rep: definitions.lifecycle.rep(for: lead), sender: sender, unsubscribeURL: nil)
        do {
            return try TemplateText.render(text, fields: fields)
        } catch {
            return "\(text) [\(error)]"
        }
    }

    public var text: String {
        var lines: [String] = []
        let name = lead.displayName.isEmpty ? lead.email : "\(lead.displayName) <\(lead.email)>"
        let state = initial
        lines.append("Trace of \(sequence.id) for \(name)")
        lines.append("Time zone \(zone.identifier)\(lead.timeZone == nil ? " (the sequence's; the lead has none)" : ""), stage \(state.stage), fit \(state.grade) (\(Self.points(state.fitPoints)) points)")
        lines.append("")

        var sends = 0
        var handOff: HandOff?
        for entry in entries {
            let when = time(entry.at)
            if case let .event(event) = entry.input {
                let step = event.step.map { " on \($0)" } ?? ""
                lines.append("\(when)  event   \(event.kind.rawValue)\(event.category.map { " (\($0))" } ?? "")\(step)  score \(Self.points(entry.score))")
            } else if case let .repAction(action) = entry.input {
                lines.append("\(when)  rep     \(action)")
            }
            for effect in entry.effects {
                guard let line = describe(effect) else { continue }
                lines.append("\(when)  \(line)")
                if case .send = effect { sends += 1 }
                if case let .handOff(found) = effect { handOff = handOff ?? found }
            }
        }
        lines.append("")
        var summary = "\(sends) email\(sends == 1 ? "" : "s") sent"
        if let handOff {
            let days = handOff.at.timeIntervalSince(start) / 86_400
            summary += "; handed off after \(String(format: "%.1f", days)) days at score \(Self.points(handOff.score))"
        } else {
            summary += "; no hand-off"
        }
        if let last = entries.last { summary += "; final score \(Self.points(last.score)), stage \(last.stage)" }
        lines.append(summary)
        return lines.joined(separator: "\n") + "\n"
    }

    func describe(_ effect: Effect) -> String? {
        switch effect {
        case let .enrolled(sequence): return "enroll  \(sequence)"
        case let .enrollmentRefused(sequence, reason): return "refused \(sequence): \(reason)"
        case let .send(send):
            let subject = definitions.templates[send.template].map { "  \"\(filled($0.subject, sender: send.from))\"" } ?? ""
            return "send    \(send.step)\(subject)\(send.from.map { "  from \($0.name)" } ?? "")"
        case .wake: return nil
        case let .scoreChanged(from, to, reason):
            return "score   \(Self.points(from)) -> \(Self.points(to)) (\(reason))"
        case let .stageChanged(from, to, reason):
            return "stage   \(from) -> \(to) (\(reason))"
        case let .handOff(handOff):
            let rep = handOff.rep.map { "\($0.name) <\($0.email)>" } ?? "sales"
            let sales = definitions.lifecycle.businessHours.timeZone
            let due = handOff.due.map { "; due \(time($0, in: sales)) (\(sales.identifier))" } ?? ""
            return "HAND-OFF to \(rep): \(handOff.reason) (score \(Self.points(handOff.score)), fit \(handOff.grade))\(due)"
        case let .notifyRep(rep, message, _):
            return "notify  \(rep?.name ?? "sales"): \(filled(message))"
        case let .task(rep, title, due, _):
            return "task    \(rep?.name ?? "sales"): \(filled(title))\(due.map { " (due \(time($0)))" } ?? "")"
        case let .exited(sequence, reason): return "exit    \(sequence): \(reason)"
        case let .completed(sequence): return "done    \(sequence) completed"
        case let .suppressed(kind): return "SUPPRESSED address (\(kind.rawValue)): no further email"
        case let .actionRefused(action, stage): return "refused rep action \(action) from stage \(stage)"
        }
    }
}
