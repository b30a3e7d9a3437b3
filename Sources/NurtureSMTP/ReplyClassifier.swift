/// What an attempt's result means, as a pure function of what libcurl and the relay said.
///
/// - 4xx replies, and failures to reach or keep the relay, are transient: retry later.
/// - 5xx replies are permanent; 550, 551 and 553 at RCPT TO say the mailbox does not exist or is
///   not accepted, so the address is suppressed.
/// - Authentication and TLS failures, and 530/535/538 replies (authentication required or
///   refused), are configuration errors: every further attempt would fail the same way.
public enum ReplyClassifier {
    /// What one attempt produced.
    public struct Attempt: Sendable, Equatable {
        /// libcurl's result code (0 is success).
        public var curlCode: Int
        /// The last SMTP reply code, 0 when none came.
        public var replyCode: Int
        /// The relay's last reply text, without the code.
        public var replyText: String
        /// libcurl's error message ("RCPT failed: 550", "STARTTLS not supported.").
        public var errorText: String

        public init(curlCode: Int, replyCode: Int, replyText: String, errorText: String) {
            self.curlCode = curlCode
            self.replyCode = replyCode
            self.replyText = replyText
            self.errorText = errorText
        }
    }

    // libcurl result codes that matter here (curl/curl.h).
    static let couldNotResolve = 6, couldNotConnect = 7, weirdReply = 8, loginDenied = 67, authError = 94
    static let tlsErrors: Set<Int> = [35, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91]

    public static func classify(_ attempt: Attempt) -> DeliveryResult {
        let stage = self.stage(of: attempt)
        // A failure the relay did not reply with (the last reply was a 2xx or 3xx, say the 250 to
        // EHLO before a refused STARTTLS) is told by libcurl's message, with no code.
        let replied = attempt.curlCode == 0 || attempt.replyCode >= 400
        let code = replied ? attempt.replyCode : 0
        let text = !replied || attempt.replyText.isEmpty ? attempt.errorText : attempt.replyText
        func result(_ outcome: DeliveryResult.Outcome, _ stage: DeliveryResult.Stage) -> DeliveryResult {
            DeliveryResult(outcome: outcome, stage: stage, code: code, text: text)
        }
        if attempt.curlCode == 0 { return result(.delivered, .done) }
        if attempt.curlCode == loginDenied || attempt.curlCode == authError || [530, 535, 538].contains(attempt.replyCode) {
            return result(.configuration, .authentication)
        }
        if tlsErrors.contains(attempt.curlCode) { return result(.configuration, .tls) }
        switch attempt.replyCode {
        case 400..<500:
            return result(.transient, stage)
        case 500..<600:
            let missingMailbox = stage == .rcptTo && [550, 551, 553].contains(attempt.replyCode)
            return result(.permanent(suppress: missingMailbox), stage)
        default:
            // No usable reply: the relay could not be reached, or went away mid-transaction.
            return result(.transient, stage)
        }
    }

    /// The transaction step that failed, from libcurl's message and how far the replies got.
    static func stage(of attempt: Attempt) -> DeliveryResult.Stage {
        let error = attempt.errorText
        if error.hasPrefix("MAIL failed") { return .mailFrom }
        if error.hasPrefix("RCPT failed") { return .rcptTo }
        if error.hasPrefix("DATA failed") { return .data }
        if error.contains("STARTTLS") || tlsErrors.contains(attempt.curlCode) { return .tls }
        if error.hasPrefix("Got unexpected smtp-server response") || attempt.curlCode == couldNotConnect
            || attempt.curlCode == couldNotResolve {
            return .connect
        }
        if attempt.curlCode == weirdReply { return .endOfData }
        return .connect
    }
}
