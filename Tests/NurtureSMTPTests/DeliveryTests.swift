import Foundation
import NurtureCore
import NurtureMail
import NurtureSMTP
import NurtureTestSupport
import Testing

/// Real messages from the shipped definitions, for the example lead and hostile variants of it,
/// delivered through the sender to the capturing server, then checked byte for byte and by a
/// strict MIME parser.
@Suite(.enabled(if: TestServers.runCaptureTests, "needs /usr/bin/python3 with aiosmtpd (always runs under CI=true)"))
struct DeliveryTests {
    @Test(arguments: [1, 3])
    func deliversTheCorpusByteForByte(connections: Int) async throws {
        let corpus = try Fixtures.corpus()
        #expect(corpus.count > 20)
        #expect(Set(corpus.map(\.email.messageID)).count == corpus.count, "every message has its own Message-ID")

        let server = try CaptureServer()
        defer { server.stop() }
        let sender = try SMTPSender(relay: RelayConfiguration(url: server.url, connections: connections))
        let results = await sender.send(corpus.map(\.outgoing))

        #expect(results.count == corpus.count)
        for (message, result) in zip(corpus, results) {
            #expect(result.outcome == .delivered, "\(message): \(result)")
            #expect(result.stage == .done)
            #expect(result.code == 250, "\(message): \(result)")
            #expect(result.text.hasPrefix("2.0.0 Ok: captured as "), "the relay's own reply, without the code: \(result.text)")
        }
        #expect(sender.stopReason == nil)
        // One session per connection: connections are reused from one message to the next.
        #expect(server.sessions() == connections)

        let captured = try server.messages()
        try #require(captured.count == corpus.count)
        let checked = try MIMESummary.checkAll(captured.map(\.file))
        var seen = Set<String>()
        for message in captured {
            let entry = try #require(checked[message.file])
            try #require(entry.problems.isEmpty, "\(message.file.lastPathComponent): \(entry.problems.joined(separator: "\n"))")
            let summary = try #require(entry.summary)
            let rendered = try #require(corpus.first { $0.email.messageID == summary.message_id },
                                        "captured Message-ID \(summary.message_id) is not one that was sent")
            #expect(seen.insert(summary.message_id).inserted, "\(rendered) arrived twice")

            // Byte for byte: aiosmtpd removes the transparency dots, so nothing else may differ.
            #expect(message.bytes == rendered.email.bytes, "\(rendered): captured bytes differ from the rendered ones")
            #expect(message.envelope.mail_from == rendered.email.envelopeFrom)
            #expect(message.envelope.rcpt_tos == [rendered.email.recipient])

            try expectHeaders(summary, of: rendered)
        }
        #expect(seen.count == corpus.count)
    }

    /// The parser's view of the headers matches what was meant, and hostile input added nothing.
    func expectHeaders(_ summary: MIMESummary, of rendered: Fixtures.Rendered) throws {
        let email = rendered.email
        #expect(summary.headers == Fixtures.expectedHeaders(replyTo: rendered.replyTo != nil),
                "\(rendered): headers \(summary.headers)")
        #expect(summary.max_header_line <= 998)
        #expect(summary.message_id == email.messageID)
        #expect(summary.subject == email.subject, "\(rendered): decoded subject")
        let subject = Fixtures.headerText(try subjectSource(rendered))
        #expect(summary.subject == subject, "\(rendered): subject")
        #expect(summary.from == .init(name: Fixtures.headerText(rendered.from.name), address: rendered.from.email))
        #expect(summary.to == .init(name: Fixtures.headerText(rendered.lead.displayName), address: rendered.lead.email))
        if let replyTo = rendered.replyTo {
            #expect(summary.reply_to == .init(name: Fixtures.headerText(replyTo.name), address: replyTo.email))
        } else {
            #expect(summary.reply_to == nil)
        }
        #expect(summary.date == "Tue, 03 Mar 2026 09:00:00 +0000")
        #expect(summary.list_unsubscribe.count == 2)
        #expect(summary.list_unsubscribe.first?.hasPrefix("https://nurture.example.com/unsubscribe?t=") == true)
        #expect(summary.list_unsubscribe.last?.hasPrefix("mailto:unsubscribe@example.com?") == true)
        // Bodies decode to exactly what was rendered.
        #expect(summary.text == normalized(email.text), "\(rendered): text part")
        #expect(summary.html == normalized(email.html), "\(rendered): html part")
        if let html = summary.html {
            #expect(!html.contains("<script"), "\(rendered): the HTML part carries a live <script>")
        }
        if email.text.contains("<script>") {
            #expect(summary.html?.contains("&lt;script&gt;") == true, "\(rendered): the hostile value is shown escaped")
        }
    }

    /// The subject as the template fills it (plain text, nothing escaped), from the lead's fields.
    func subjectSource(_ rendered: Fixtures.Rendered) throws -> String {
        let definitions = try Fixtures.definitions.get()
        let sequence = try #require(definitions.sequences[rendered.sequence])
        let step = try #require(sequence.steps.first { $0.id == rendered.step })
        guard case let .email(name) = step.kind, let template = definitions.templates[name] else {
            throw Fixtures.Failure(description: "\(rendered) is not an email step")
        }
        let fields = TemplateFields(lead: rendered.lead, rep: rendered.lead.owner, sender: rendered.from, unsubscribeURL: "x")
        return try TemplateText.render(template.subject, fields: fields)
    }

    func normalized(_ text: String) -> String { text.replacingOccurrences(of: "\r\n", with: "\n") }

    @Test func hostileLeadsAddNoHeaderAndKeepTheirText() async throws {
        let priya = try Fixtures.priya()
        let crlf = try #require(Fixtures.variants.first { $0.name == "crlf" })
        let messages = try Fixtures.render(crlf.apply(to: priya), variant: "crlf", sequences: ["post-webinar"])
        let server = try CaptureServer()
        defer { server.stop() }
        let sender = try SMTPSender(relay: RelayConfiguration(url: server.url))
        let results = await sender.send(messages.map(\.outgoing))
        #expect(results.allSatisfy { $0.outcome == .delivered }, "\(results)")
        for message in try server.messages() {
            let summary = try MIMESummary.check(message.file, replyTo: true)
            #expect(!summary.headers.contains("Bcc"))
            #expect(!summary.headers.contains("X-Injected"))
            #expect(summary.headers.filter { $0 == "Subject" }.count == 1)
            #expect(summary.to?.name == "Priya Bcc: victim@evil.example Natarajan X-Injected: yes")
            #expect(summary.to?.address == "priya.natarajan@example.org")
            let raw = String(decoding: message.bytes, as: UTF8.self)
            let head = try #require(raw.components(separatedBy: "\r\n\r\n").first)
            #expect(!head.contains("\r\nBcc:"))
            #expect(!head.contains("\r\nX-Injected:"))
            #expect(!head.contains("\r\nSubject: spoofed"))
            // In the plain text part the value's line breaks are kept (they are text there), and
            // the imitation boundary is quoted-printable-encoded, so it is no boundary.
            if summary.text?.contains("Kestrel") == true {
                #expect(summary.text?.contains("Kestrel\n\n--=_nurture_boundary\nContent-Type: text/html") == true)
            }
            #expect(!raw.contains("\r\n--=_nurture_boundary\r\n"))
        }
    }

    @Test func longSubjectIsFoldedAndArrivesWhole() async throws {
        let priya = try Fixtures.priya()
        for name in ["long-subject", "long-unbroken", "long-unicode"] {
            let variant = try #require(Fixtures.variants.first { $0.name == name })
            let message = try #require(try Fixtures.render(variant.apply(to: priya), variant: name, sequences: ["post-webinar"]).first)
            #expect(message.email.subject.count > 2000)
            let server = try CaptureServer()
            defer { server.stop() }
            let result = await (try SMTPSender(relay: RelayConfiguration(url: server.url))).send(message.outgoing)
            #expect(result.outcome == .delivered, "\(name): \(result)")
            let captured = try #require(try server.messages().first)
            let summary = try MIMESummary.check(captured.file, replyTo: true)
            #expect(summary.subject == message.email.subject, "\(name)")
            for header in ["Subject", "From", "To", "Reply-To"] {
                let longest = try #require(summary.header_line_lengths[header])
                #expect(longest <= 78, "\(name): a \(header) line of \(longest) octets")
            }
            #expect(summary.header_lines.count > 25, "\(name): the subject is folded over many lines")
        }
    }
}
