import NurtureSMTP
import Testing

/// What each combination of libcurl result, reply code and error text means.
struct ReplyClassifierTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var curl: Int
        var reply: Int
        var replyText: String
        var error: String
        var outcome: DeliveryResult.Outcome
        var stage: DeliveryResult.Stage
        var code: Int
        var text: String

        var testDescription: String { "curl \(curl), reply \(reply), \"\(error)\"" }
    }

    static let table: [Case] = [
        // Delivered.
        Case(curl: 0, reply: 250, replyText: "2.0.0 Ok: queued as 1", error: "", outcome: .delivered, stage: .done, code: 250,
             text: "2.0.0 Ok: queued as 1"),
        // The relay cannot be reached, or goes away: transient, no code, libcurl's reason kept.
        Case(curl: 7, reply: 0, replyText: "", error: "Failed to connect to 127.0.0.1 port 9: Connection refused",
             outcome: .transient, stage: .connect, code: 0, text: "Failed to connect to 127.0.0.1 port 9: Connection refused"),
        Case(curl: 6, reply: 0, replyText: "", error: "Could not resolve host: relay.invalid",
             outcome: .transient, stage: .connect, code: 0, text: "Could not resolve host: relay.invalid"),
        Case(curl: 28, reply: 0, replyText: "", error: "Connection timed out after 10001 milliseconds",
             outcome: .transient, stage: .connect, code: 0, text: "Connection timed out after 10001 milliseconds"),
        Case(curl: 56, reply: 0, replyText: "", error: "Recv failure: Connection reset by peer",
             outcome: .transient, stage: .connect, code: 0, text: "Recv failure: Connection reset by peer"),
        Case(curl: 8, reply: 421, replyText: "4.0.0 Server closing connection", error: "Got unexpected smtp-server response: 421",
             outcome: .transient, stage: .connect, code: 421, text: "4.0.0 Server closing connection"),
        // 4xx at any step: transient, at that step.
        Case(curl: 55, reply: 452, replyText: "4.3.1 Insufficient system storage", error: "MAIL failed: 452",
             outcome: .transient, stage: .mailFrom, code: 452, text: "4.3.1 Insufficient system storage"),
        Case(curl: 55, reply: 451, replyText: "4.7.1 Greylisted", error: "RCPT failed: 451",
             outcome: .transient, stage: .rcptTo, code: 451, text: "4.7.1 Greylisted"),
        Case(curl: 55, reply: 421, replyText: "4.7.0 Too many connections", error: "RCPT failed: 421",
             outcome: .transient, stage: .rcptTo, code: 421, text: "4.7.0 Too many connections"),
        Case(curl: 55, reply: 451, replyText: "4.3.0 Try later", error: "DATA failed: 451",
             outcome: .transient, stage: .data, code: 451, text: "4.3.0 Try later"),
        Case(curl: 8, reply: 452, replyText: "4.2.2 Mailbox full", error: "Weird server reply",
             outcome: .transient, stage: .endOfData, code: 452, text: "4.2.2 Mailbox full"),
        // 5xx: permanent; suppressed only when RCPT TO says the mailbox is not there.
        Case(curl: 55, reply: 550, replyText: "5.1.1 User unknown", error: "RCPT failed: 550",
             outcome: .permanent(suppress: true), stage: .rcptTo, code: 550, text: "5.1.1 User unknown"),
        Case(curl: 55, reply: 551, replyText: "5.1.6 User not local", error: "RCPT failed: 551",
             outcome: .permanent(suppress: true), stage: .rcptTo, code: 551, text: "5.1.6 User not local"),
        Case(curl: 55, reply: 553, replyText: "5.1.3 Bad recipient address syntax", error: "RCPT failed: 553",
             outcome: .permanent(suppress: true), stage: .rcptTo, code: 553, text: "5.1.3 Bad recipient address syntax"),
        Case(curl: 55, reply: 552, replyText: "5.2.2 Over quota", error: "RCPT failed: 552",
             outcome: .permanent(suppress: false), stage: .rcptTo, code: 552, text: "5.2.2 Over quota"),
        Case(curl: 55, reply: 554, replyText: "5.7.1 Relay access denied", error: "RCPT failed: 554",
             outcome: .permanent(suppress: false), stage: .rcptTo, code: 554, text: "5.7.1 Relay access denied"),
        Case(curl: 55, reply: 550, replyText: "5.7.1 Sender rejected", error: "MAIL failed: 550",
             outcome: .permanent(suppress: false), stage: .mailFrom, code: 550, text: "5.7.1 Sender rejected"),
        Case(curl: 55, reply: 554, replyText: "5.5.1 No valid recipients", error: "DATA failed: 554",
             outcome: .permanent(suppress: false), stage: .data, code: 554, text: "5.5.1 No valid recipients"),
        Case(curl: 8, reply: 554, replyText: "5.7.1 Rejected", error: "Weird server reply",
             outcome: .permanent(suppress: false), stage: .endOfData, code: 554, text: "5.7.1 Rejected"),
        Case(curl: 8, reply: 550, replyText: "5.7.1 Message content rejected", error: "Weird server reply",
             outcome: .permanent(suppress: false), stage: .endOfData, code: 550, text: "5.7.1 Message content rejected"),
        // Authentication: configuration, whatever the step that noticed.
        Case(curl: 67, reply: 535, replyText: "5.7.8 Authentication credentials invalid", error: "Login denied",
             outcome: .configuration, stage: .authentication, code: 535, text: "5.7.8 Authentication credentials invalid"),
        Case(curl: 55, reply: 530, replyText: "5.7.0 Authentication required", error: "MAIL failed: 530",
             outcome: .configuration, stage: .authentication, code: 530, text: "5.7.0 Authentication required"),
        Case(curl: 55, reply: 538, replyText: "5.7.11 Encryption required", error: "MAIL failed: 538",
             outcome: .configuration, stage: .authentication, code: 538, text: "5.7.11 Encryption required"),
        Case(curl: 94, reply: 0, replyText: "", error: "An authentication function returned an error",
             outcome: .configuration, stage: .authentication, code: 0, text: "An authentication function returned an error"),
        // TLS: configuration. The last reply (a 250 to EHLO) is not why it failed: libcurl's reason is.
        Case(curl: 64, reply: 250, replyText: "HELP", error: "STARTTLS not supported.",
             outcome: .configuration, stage: .tls, code: 0, text: "STARTTLS not supported."),
        Case(curl: 64, reply: 454, replyText: "4.7.0 TLS not available", error: "STARTTLS denied, code 454",
             outcome: .configuration, stage: .tls, code: 454, text: "4.7.0 TLS not available"),
        Case(curl: 60, reply: 220, replyText: "2.0.0 Ready to start TLS", error: "SSL certificate problem: self-signed certificate",
             outcome: .configuration, stage: .tls, code: 0, text: "SSL certificate problem: self-signed certificate"),
        Case(curl: 35, reply: 0, replyText: "", error: "OpenSSL SSL_connect: SSL_ERROR_SYSCALL",
             outcome: .configuration, stage: .tls, code: 0, text: "OpenSSL SSL_connect: SSL_ERROR_SYSCALL"),
    ]

    @Test(arguments: table)
    func classifies(_ row: Case) {
        let result = ReplyClassifier.classify(.init(curlCode: row.curl, replyCode: row.reply, replyText: row.replyText, errorText: row.error))
        #expect(result == DeliveryResult(outcome: row.outcome, stage: row.stage, code: row.code, text: row.text))
    }

    @Test func descriptionSaysWhatHappenedWithCodeAndText() {
        #expect(DeliveryResult(outcome: .permanent(suppress: true), stage: .rcptTo, code: 550, text: "5.1.1 User unknown").description
            == "permanent failure, address suppressed at RCPT TO: 550 5.1.1 User unknown")
        #expect(DeliveryResult(outcome: .transient, stage: .connect, code: 0, text: "Connection refused").description
            == "transient failure, will retry at connect: Connection refused")
        #expect(DeliveryResult(outcome: .delivered, stage: .done, code: 250, text: "2.0.0 Ok").description
            == "delivered at done: 250 2.0.0 Ok")
    }
}
