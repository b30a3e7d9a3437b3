import Foundation
import NurtureSMTP
import NurtureTestSupport
import Testing

/// Each way a delivery fails, against a real relay on loopback, classified with the relay's own
/// code and text kept.
struct ErrorPathTests {
    static func message(_ number: Int = 1, to recipient: String = "lead@example.org") -> OutgoingMessage {
        let text = """
            From: "Nurture Tests" <sender@example.com>\r
            To: <\(recipient)>\r
            Subject: Error path \(number)\r
            Message-ID: <error-path-\(number)@example.com>\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            Message \(number).\r
            .A line that starts with a dot.\r
            \r\n
            """
        return OutgoingMessage(from: "sender@example.com", recipients: [recipient], bytes: Array(text.utf8))
    }

    static func batch(_ count: Int) -> [OutgoingMessage] { (1...count).map { message($0) } }

    static func sender(_ url: String, connections: Int = 1, credentials: RelayConfiguration.Credentials? = nil,
                       requireTLS: Bool? = nil) throws -> SMTPSender {
        try SMTPSender(relay: RelayConfiguration(
            url: url, credentials: credentials, requireTLS: requireTLS, connections: connections,
            connectTimeout: .seconds(5), transferTimeout: .seconds(10)))
    }

    // MARK: Nothing there, or a relay that turns us away

    @Test func relayDownIsTransientAtConnect() async throws {
        let port = try Ports.free()
        #expect(!Ports.accepts(port))
        let sender = try Self.sender("smtp://127.0.0.1:\(port)")
        let results = await sender.send(Self.batch(2))
        for result in results {
            #expect(result.outcome == .transient, "\(result)")
            #expect(result.stage == .connect)
            #expect(result.code == 0)
            #expect(result.text.localizedCaseInsensitiveContains("connect"), "libcurl's reason is kept: \(result.text)")
        }
        #expect(sender.stopReason == nil, "a relay that is down is no reason to stop sending")
    }

    @Test(.enabled(if: TestServers.runSinkTests, "needs smtp-sink (always runs under CI=true)"))
    func closingOnConnectIsTransient() async throws {
        let sink = try SMTPSink(["-Q", "connect"])
        defer { sink.stop() }
        let results = await (try Self.sender(sink.url)).send(Self.batch(2))
        for result in results {
            #expect(result.outcome == .transient, "\(result)")
            #expect(result.stage == .connect)
            #expect(result.code == 421)
            #expect(result.text == "4.0.0 Server closing connection", "\(result)")
        }
    }

    @Test(.enabled(if: TestServers.runSinkTests, "needs smtp-sink (always runs under CI=true)"))
    func greylistingAtRcptIsTransient() async throws {
        let sink = try SMTPSink(["-r", "rcpt", "-b", "451 4.7.1 Greylisted"])
        defer { sink.stop() }
        let sender = try Self.sender(sink.url)
        // Twice over one sender: the connection libcurl dropped after the failure is reopened.
        for result in await sender.send(Self.batch(2)) {
            #expect(result == DeliveryResult(outcome: .transient, stage: .rcptTo, code: 451, text: "4.7.1 Greylisted"), "\(result)")
        }
        #expect(sender.stopReason == nil)
    }

    @Test(.enabled(if: TestServers.runSinkTests, "needs smtp-sink (always runs under CI=true)"))
    func unknownUserAtRcptIsPermanentAndSuppressed() async throws {
        let sink = try SMTPSink(["-f", "rcpt", "-B", "550 5.1.1 User unknown"])
        defer { sink.stop() }
        let sender = try Self.sender(sink.url, connections: 3)
        for result in await sender.send(Self.batch(4)) {
            #expect(result == DeliveryResult(outcome: .permanent(suppress: true), stage: .rcptTo, code: 550, text: "5.1.1 User unknown"),
                    "\(result)")
        }
        #expect(sender.stopReason == nil)
    }

    @Test(.enabled(if: TestServers.runSinkTests, "needs smtp-sink (always runs under CI=true)"))
    func rejectionAfterDataIsPermanentNotSuppressed() async throws {
        let sink = try SMTPSink(["-f", ".", "-B", "554 5.7.1 Rejected"])
        defer { sink.stop() }
        let sender = try Self.sender(sink.url)
        for result in await sender.send(Self.batch(2)) {
            #expect(result == DeliveryResult(outcome: .permanent(suppress: false), stage: .endOfData, code: 554, text: "5.7.1 Rejected"),
                    "\(result)")
        }
        #expect(sender.stopReason == nil)
    }

    @Test(.enabled(if: TestServers.runSinkTests, "needs smtp-sink (always runs under CI=true)"))
    func smtpSinkAcceptsWhenNotTold() async throws {
        let sink = try SMTPSink([])
        defer { sink.stop() }
        for result in await (try Self.sender(sink.url, connections: 2)).send(Self.batch(3)) {
            #expect(result.outcome == .delivered, "\(result)")
            #expect(result.code == 250)
        }
    }

    // MARK: Authentication

    @Test(.enabled(if: TestServers.runCaptureTests, "needs /usr/bin/python3 with aiosmtpd (always runs under CI=true)"))
    func authenticationRequiredWithoutCredentialsIsConfiguration() async throws {
        let server = try CaptureServer(authRequired: true)
        defer { server.stop() }
        let sender = try Self.sender(server.url)
        let results = await sender.send(Self.batch(3))
        #expect(results[0] == DeliveryResult(outcome: .configuration, stage: .authentication, code: 530,
                                             text: "5.7.0 Authentication required"), "\(results[0])")
        for result in results.dropFirst() {
            #expect(result.outcome == .configuration)
            #expect(result.text.hasPrefix("not sent: sending stopped after"), "\(result)")
        }
        #expect(sender.stopReason == results[0])
        #expect(try server.messages().isEmpty)
    }

    @Test(.enabled(if: TestServers.runCaptureTests, "needs /usr/bin/python3 with aiosmtpd (always runs under CI=true)"))
    func correctCredentialsDeliver() async throws {
        let server = try CaptureServer(authRequired: true)
        defer { server.stop() }
        let login = RelayConfiguration.Credentials(username: CaptureServer.username, password: CaptureServer.password)
        let batch = Self.batch(3)
        let results = await (try Self.sender(server.url, connections: 2, credentials: login)).send(batch)
        for result in results {
            #expect(result.outcome == .delivered, "\(result)")
            #expect(result.stage == .done)
            #expect(result.code == 250)
        }
        let captured = try server.messages()
        #expect(captured.count == 3)
        for message in captured {
            #expect(message.envelope.authenticated_as == CaptureServer.username)
            #expect(batch.contains { $0.bytes == message.bytes }, "arrived byte for byte, the dot-led line un-stuffed")
        }
    }

    @Test(.enabled(if: TestServers.runCaptureTests, "needs /usr/bin/python3 with aiosmtpd (always runs under CI=true)"))
    func wrongCredentialsAreConfiguration() async throws {
        let server = try CaptureServer(authRequired: true)
        defer { server.stop() }
        let login = RelayConfiguration.Credentials(username: CaptureServer.username, password: "wrong password")
        let sender = try Self.sender(server.url, credentials: login)
        let results = await sender.send(Self.batch(2))
        #expect(results[0].outcome == .configuration, "\(results[0])")
        #expect(results[0].stage == .authentication)
        #expect(results[0].code == 535)
        #expect(results[0].text == "5.7.8 Authentication credentials invalid", "\(results[0])")
        #expect(results[1].outcome == .configuration)
        #expect(results[1].text.hasPrefix("not sent: sending stopped after"))
        #expect(try server.messages().isEmpty)
    }

    // MARK: TLS

    @Test(.enabled(if: TestServers.runCaptureTests, "needs /usr/bin/python3 with aiosmtpd (always runs under CI=true)"))
    func requiredTLSNotOfferedStopsTheSender() async throws {
        let server = try CaptureServer()
        defer { server.stop() }
        let sender = try Self.sender(server.url, requireTLS: true)
        #expect(sender.relay.security == .startTLSRequired)
        let results = await sender.send(Self.batch(5))
        let first = results[0]
        #expect(first.outcome == .configuration, "\(first)")
        #expect(first.stage == .tls)
        #expect(first.text.localizedCaseInsensitiveContains("STARTTLS"), "libcurl's reason is kept: \(first)")
        #expect(first.code == 0, "no reply refused anything; the last 250 to EHLO is not the reason: \(first)")
        for result in results.dropFirst() {
            #expect(result.outcome == .configuration)
            #expect(result.stage == .tls)
            #expect(result.text == "not sent: sending stopped after configuration error, sending stopped at tls: \(first.text)", "\(result)")
        }
        #expect(sender.stopReason == first)
        // Only the first message ever reached the relay, and no message got through in clear text.
        #expect(server.sessions() == 1)
        #expect(try server.messages().isEmpty)

        // A stopped sender stays stopped.
        let later = await sender.send(Self.message(9))
        #expect(later.outcome == .configuration)
        #expect(later.text.hasPrefix("not sent:"))
        #expect(server.sessions() == 1)
    }

    @Test(.enabled(if: TestServers.runCaptureTests, "needs /usr/bin/python3 with aiosmtpd (always runs under CI=true)"))
    func requiredTLSOverThreeConnectionsSendsNothing() async throws {
        let server = try CaptureServer()
        defer { server.stop() }
        let sender = try Self.sender(server.url, connections: 3, requireTLS: true)
        let results = await sender.send(Self.batch(12))
        #expect(results.allSatisfy { $0.outcome == .configuration && $0.stage == .tls }, "\(results)")
        // At most one attempt per connection before the stop is seen; the rest are never tried.
        #expect(results.filter { !$0.text.hasPrefix("not sent:") }.count <= 3)
        #expect(server.sessions() <= 3)
        #expect(try server.messages().isEmpty)
    }
}

/// Reading a relay URL and its TLS policy.
struct RelayConfigurationTests {
    @Test func loopbackDefaultsToNoTLSOthersRequireIt() throws {
        #expect(try RelayConfiguration(url: "smtp://127.0.0.1:2525").security == .none)
        #expect(try RelayConfiguration(url: "smtp://localhost:2525").security == .none)
        #expect(try RelayConfiguration(url: "smtp://[::1]:2525").security == .none)
        #expect(try RelayConfiguration(url: "smtp://mail.example.com:587").security == .startTLSRequired)
        #expect(try RelayConfiguration(url: "smtps://mail.example.com:465").security == .implicitTLS)
        #expect(try RelayConfiguration(url: "smtp://mail.example.com:587", allowPlaintext: true).security == .none)
    }

    @Test func hostNamesThatOnlyLookLikeLoopbackStillRequireTLS() throws {
        #expect(try RelayConfiguration(url: "smtp://127.attacker.example:587").security == .startTLSRequired)
        #expect(try RelayConfiguration(url: "smtp://127.0.0.1.nip.io:587").security == .startTLSRequired)
        #expect(try RelayConfiguration(url: "smtp://localhost.attacker.example:587").security == .startTLSRequired)
    }

    @Test func requireTLSOverridesTheLoopbackDefault() throws {
        #expect(try RelayConfiguration(url: "smtp://127.0.0.1:2525", requireTLS: true).security == .startTLSRequired)
        #expect(try RelayConfiguration(url: "smtp://mail.example.com:587", requireTLS: false).security == .none)
        #expect(try RelayConfiguration(url: "smtps://127.0.0.1:465", requireTLS: false).security == .implicitTLS)
    }

    @Test(arguments: [
        ("smtp://user:secret@mail.example.com:587", "credentials"),
        ("http://mail.example.com", "scheme"),
        ("mail.example.com", "not a relay URL"),
        ("smtp://mail.example.com/path", "credentials"),
    ])
    func refusesBadURLs(url: String, says: String) {
        #expect(Self.failure(url)?.description.contains(says) == true, "\(String(describing: Self.failure(url)))")
    }

    @Test func refusesZeroConnections() {
        #expect(Self.failure("smtp://127.0.0.1:25", connections: 0)?.description == "connections must be between 1 and 64")
    }

    static func failure(_ url: String, connections: Int = 1) -> RelayConfiguration.Failure? {
        do {
            _ = try RelayConfiguration(url: url, connections: connections)
            return nil
        } catch {
            return error
        }
    }
}
