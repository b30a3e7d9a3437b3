import Foundation
import NurtureCore

/// A sequence described in plain words, for the marketer who wrote it and the rep who lives with it.
public struct SequenceExplanation {
    public let sequence: NurtureSequence
    public let definitions: DefinitionSet

    public init(sequence: NurtureSequence, definitions: DefinitionSet) {
        self.sequence = sequence
        self.definitions = definitions
    }

    public var text: String {
        var lines: [String] = []
        lines.append("\(sequence.name) (\(sequence.id))")
        if let description = sequence.description {
            lines.append(description.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        lines.append("")
        lines.append("Who enters:    \(sequence.audience.map { "leads where \($0)" } ?? "any lead")")
        lines.append("Re-entry:      \(reentry)")
        lines.append("From:          \(sender(sequence.sender))\(sequence.replyTo.map { "; replies go to \(sender($0))" } ?? "")")
        let window = sequence.sendWindow
        lines.append("Sends:         \(window.daysDescription), \(window.hoursDescription) on the lead's clock (\(window.timeZone.identifier) when the lead has no time zone)")
        if let cap = sequence.frequencyCap {
            lines.append("Frequency cap: at most \(cap.emails) email\(cap.emails == 1 ? "" : "s") in any \(cap.per.spelledOut), counting every sequence")
        }
        lines.append("")
        lines.append("Steps:")
        for (index, step) in sequence.steps.enumerated() {
            lines.append("  \(String(format: "%2d", index + 1)). \(step.id): \(describe(step, at: index))")
        }
        lines.append("")
        lines.append("Leaves the sequence on:")
        for exit in sequence.exits {
            switch exit {
            case let .event(kind): lines.append("  - \(Self.eventName(kind))")
            case let .stageChange(stages): lines.append("  - a move to \(stages.sorted().joined(separator: ", "))")
            }
        }
        lines.append("  - always: an unsubscribe, a hard bounce or a spam complaint (the address is suppressed for good)")
        if !sequence.thresholds.isEmpty {
            lines.append("")
            lines.append("Thresholds (each fires once per enrollment, when it first becomes true):")
            for threshold in sequence.thresholds {
                lines.append("  - when \(threshold.condition): \(describe(threshold.action))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    var reentry: String {
        switch sequence.reentry {
        case .never: "never: a lead goes through this sequence once"
        case .always: "any time the lead is not already in it"
        case let .after(span): "allowed \(span.spelledOut) after the previous enrollment"
        }
    }

    func sender(_ sender: Sender) -> String {
        switch sender {
        case let .fixed(rep): "\(rep.name) <\(rep.email)>"
        case .owner: "the lead's own rep"
        }
    }

    func name(_ index: Int?) -> String {
        guard let index else { return "the end" }
        return index < sequence.steps.count ? sequence.steps[index].id : "the end"
    }

    func describe(_ step: Step, at index: Int) -> String {
        let then = step.next == index + 1 ? "" : "; then \(name(step.next))"
        switch step.kind {
        case let .email(template):
            let subject = definitions.templates[template].map { " \"\($0.subject)\"" } ?? ""
            return "send email\(subject) (\(template)), in the send window\(then)"
        case let .wait(span):
            return "wait \(span.spelledOut)\(then)"
        case let .waitFor(condition, upTo, onEvent):
            return "wait up to \(span(upTo)) for \(condition); if it happens go to \(name(onEvent)), otherwise \(step.next == index + 1 ? "carry on" : "go to \(name(step.next))")"
        case let .branch(cases, otherwise):
            let rules = cases.map { "if \($0.condition) go to \(name($0.goto))" }
            return "branch: " + (rules + ["otherwise go to \(name(otherwise))"]).joined(separator: "; ")
        case let .score(points, reason):
            return "\(points >= 0 ? "add" : "remove") \(Condition.number(abs(points))) points (\(reason))\(then)"
        case let .repTask(title, due):
            return "task for the rep: \"\(title)\"\(due.map { ", due within \($0.spelledOut)" } ?? "")\(then)"
        case let .notifyRep(message):
            return "notify the rep: \"\(message)\"\(then)"
        case let .handOff(reason):
            return "hand off to sales (\(reason)); \(handOffConsequence)"
        case .end:
            return "end of the sequence"
        }
    }

    func span(_ span: TimeSpan) -> String { span.spelledOut }

    func describe(_ action: Threshold.Action) -> String {
        switch action {
        case let .notifyRep(message): "notify the rep: \"\(message)\""
        case let .handOff(reason): "hand off to sales (\(reason)); \(handOffConsequence)"
        }
    }

    var handOffConsequence: String {
        let lifecycle = definitions.lifecycle
        let stage = lifecycle.stage(lifecycle.handoffStage)?.name ?? lifecycle.handoffStage
        let promise = lifecycle.serviceLevel(for: lifecycle.handoffStage).map {
            ", and \($0.owner.rawValue) has \($0.within) to \($0.promise)"
        } ?? ""
        return "the lead becomes \(stage)\(promise); the sequence ends"
    }

    static func eventName(_ kind: EngagementEvent.Kind) -> String {
        switch kind {
        case .reply: "a reply"
        case .meetingBooked: "a meeting booked"
        case .formFill: "a form filled in"
        case .unsubscribe: "an unsubscribe"
        case .hardBounce: "a hard bounce"
        case .complaint: "a spam complaint"
        case .emailOpen: "an open"
        case .emailClick: "a click"
        case .pageVisit: "a page visit"
        }
    }
}
