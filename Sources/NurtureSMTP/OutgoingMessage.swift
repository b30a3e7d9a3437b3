/// One message ready for the relay: the envelope and the exact bytes (CRLF line ends).
public struct OutgoingMessage: Sendable {
    /// Envelope sender (MAIL FROM), where bounces go.
    public var from: String
    /// Envelope recipients (RCPT TO).
    public var recipients: [String]
    public var bytes: [UInt8]

    public init(from: String, recipients: [String], bytes: [UInt8]) {
        self.from = from
        self.recipients = recipients
        self.bytes = bytes
    }
}
