/// What the scheduler hands its messages to. In production it is ``SMTPSender``, over a real
/// relay; a test of the scheduler's own decisions (leases, caps, retries, notices) can hand them
/// to something in process instead, while the delivery tests keep using real SMTP servers.
public protocol MailTransport: Sendable {
    /// The pace messages may go at: a pass claims no more than it can send within half its lease.
    var rateLimit: RateLimit { get }

    /// Sends a batch, calling `onResult` with each message's index and result as soon as it is
    /// known, and returns one result per message, in order.
    @discardableResult
    func send(_ messages: [OutgoingMessage], onResult: @escaping @Sendable (Int, DeliveryResult) -> Void) async -> [DeliveryResult]
}

extension SMTPSender: MailTransport {
    public var rateLimit: RateLimit { relay.rateLimit }
}
