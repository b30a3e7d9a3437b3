import Foundation

/// One email to send: which step, from whom, and the enrollment it belongs to (which, with the
/// lead and step, makes the idempotency key).
public struct Send: Hashable, Sendable {
    /// What every send of one email step has in common, built once per step by the engine and
    /// shared: one reference to copy where there were three strings.
    final class Email: Sendable {
        let sequence: String
        let step: String
        let stepIndex: Int
        let template: String

        init(sequence: String, step: String, stepIndex: Int, template: String) {
            self.sequence = sequence
            self.step = step
            self.stepIndex = stepIndex
            self.template = template
        }
    }

    /// Read-only: what the engine decided to send is not for callers to rewrite.
    private let email: Email
    public var from: Rep?
    public var replyTo: Rep?
    public var enrolledAt: Date
    public var at: Date

    init(email: Email, from: Rep?, replyTo: Rep?, enrolledAt: Date, at: Date) {
        self.email = email
        self.from = from
        self.replyTo = replyTo
        self.enrolledAt = enrolledAt
        self.at = at
    }

    init(
        sequence: String, step: String, stepIndex: Int, template: String, from: Rep?, replyTo: Rep?, enrolledAt: Date,
        at: Date
    ) {
        self.init(
            email: Email(sequence: sequence, step: step, stepIndex: stepIndex, template: template), from: from,
            replyTo: replyTo, enrolledAt: enrolledAt, at: at)
    }

    public var sequence: String { email.sequence }
    public var step: String { email.step }
    /// The step's position in the sequence, for callers that count per step.
    public var stepIndex: Int { email.stepIndex }
    public var template: String { email.template }

    public static func == (lhs: Send, rhs: Send) -> Bool {
        (lhs.email === rhs.email
            || (lhs.sequence == rhs.sequence && lhs.step == rhs.step && lhs.stepIndex == rhs.stepIndex
                && lhs.template == rhs.template))
            && lhs.from == rhs.from && lhs.replyTo == rhs.replyTo && lhs.enrolledAt == rhs.enrolledAt && lhs.at == rhs.at
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(sequence)
        hasher.combine(step)
        hasher.combine(stepIndex)
        hasher.combine(template)
        hasher.combine(from)
        hasher.combine(replyTo)
        hasher.combine(enrolledAt)
        hasher.combine(at)
    }
}
