/// What became of one message, always with the relay's reply code and text.
public struct DeliveryResult: Sendable, Equatable, CustomStringConvertible {
    public enum Outcome: Sendable, Equatable {
        /// The relay accepted the message.
        case delivered
        /// Try again later: a 4xx reply, or the relay could not be reached or went away.
        case transient
        /// Do not try again: a 5xx reply. `suppress` when the reply says the mailbox does not exist.
        case permanent(suppress: Bool)
        /// Sending cannot work until someone fixes the setup (credentials, TLS): stop, do not
        /// burn attempts.
        case configuration
    }

    /// Where in the SMTP transaction the outcome was decided.
    public enum Stage: String, Sendable, Equatable {
        case connect, tls, authentication
        case mailFrom = "MAIL FROM"
        case rcptTo = "RCPT TO"
        case data = "DATA"
        case endOfData = "end of DATA"
        case done
    }

    public var outcome: Outcome
    public var stage: Stage
    /// The SMTP reply code, or 0 when there was none (connection failures).
    public var code: Int
    /// The relay's reply text, or what went wrong when there was no reply.
    public var text: String

    public init(outcome: Outcome, stage: Stage, code: Int, text: String) {
        self.outcome = outcome
        self.stage = stage
        self.code = code
        self.text = text
    }

    public var description: String {
        let what = switch outcome {
        case .delivered: "delivered"
        case .transient: "transient failure, will retry"
        case .permanent(true): "permanent failure, address suppressed"
        case .permanent(false): "permanent failure"
        case .configuration: "configuration error, sending stopped"
        }
        return "\(what) at \(stage.rawValue): \(code > 0 ? "\(code) " : "")\(text)"
    }
}
