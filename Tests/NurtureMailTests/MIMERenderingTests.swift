import Foundation
import NurtureCore
@testable import NurtureMail
import Testing

/// The MIME message as bytes, without a server: headers, encodings, folding, escaping, and what
/// hostile values can and cannot do.
@Suite struct MIMERenderingTests {
    static let sender = Rep(name: "Elena Marsh", email: "elena.marsh@example.com")
    /// Links known to pass the check every `UnsubscribeLinks` makes.
    static let unsubscribe = try! UnsubscribeLinks(baseURL: "https://nurture.example.com/unsubscribe", mailbox: "unsubscribe@example.com")
    static let owner = Rep(name: "Hannah Lindqvist", email: "hannah.lindqvist@example.com", title: "Account Executive")
    static let template = EmailTemplate(
        name: "test/hello", subject: "{{first_name}}, a note about {{company}}", preheader: "For {{company}}",
        body: "Hi {{first_name}},\n\nA word about **{{company}}**: [read it]({{unsubscribe_url}}).\n\n{{sender.name}}\n")

    static func lead(_ attributes: [String: String] = [:], email: String = "priya@example.org") -> Lead {
        var fields = ["first_name": "Priya", "last_name": "Natarajan", "company": "Kestrel Systems"]
        for (key, value) in attributes { fields[key] = value }
        return Lead(id: "L-1", email: email, owner: owner, attributes: fields)
    }

    static func request(
        _ lead: Lead = lead(), template: EmailTemplate = template, key: String = "L-1|post-webinar|recording|1",
        date: Date = Date(timeIntervalSince1970: 1_772_528_400), from: Rep = sender, replyTo: Rep? = owner
    ) -> MessageRequest {
        MessageRequest(
            template: template, lead: lead, rep: lead.owner, from: from, replyTo: replyTo, key: key, date: date,
            unsubscribe: Self.unsubscribe,
            domain: "example.com")
    }

    /// Why rendering failed, or nil when it did not. (A plain do/catch: with this toolchain, a
    /// typed-throws call inside `#expect { } throws:` closures crashed in debug builds.)
    static func failure(_ request: MessageRequest) -> MessageRenderer.Failure? {
        do {
            _ = try MessageRenderer.render(request)
            return nil
        } catch {
            return error
        }
    }

    static func addressProblem(_ text: String) -> MailAddress.Problem? {
        do {
            _ = try MailAddress(text)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Reading a message back

    struct Parsed {
        var raw: String
        /// Physical header lines, as written.
        var lines: [String]
        /// Fields after unfolding, in order: (name, value).
        var fields: [(name: String, value: String)]
        var body: String

        init(_ bytes: [UInt8]) {
            raw = String(decoding: bytes, as: UTF8.self)
            let split = raw.range(of: "\r\n\r\n")!
            lines = raw[..<split.lowerBound].components(separatedBy: "\r\n")
            body = String(raw[split.upperBound...])
            fields = []
            for line in lines {
                if line.hasPrefix(" ") || line.hasPrefix("\t") {
                    fields[fields.count - 1].value += line  // unfolding removes only the CRLF
                } else {
                    let colon = line.firstIndex(of: ":")!
                    fields.append((String(line[..<colon]), String(line[line.index(after: colon)...].dropFirst())))
                }
            }
        }

        var names: [String] { fields.map(\.name) }
        func value(_ name: String) -> String? { fields.first { $0.name == name }?.value }
    }

    /// RFC 2047 decoding of a header value made of B-encoded words and plain text.
    static func decodeWords(_ value: String) -> String {
        var result = ""
        var previousWasEncoded = false
        for token in value.split(separator: " ", omittingEmptySubsequences: false) {
            if token.hasPrefix("=?UTF-8?B?"), token.hasSuffix("?="),
               let data = Data(base64Encoded: String(token.dropFirst(10).dropLast(2))) {
                result += String(decoding: data, as: UTF8.self)  // whitespace between encoded-words is dropped
                previousWasEncoded = true
            } else {
                if !result.isEmpty || previousWasEncoded { result += " " }
                result += token
                previousWasEncoded = false
            }
        }
        return result
    }

    /// A strict quoted-printable decoder (RFC 2045 6.7), failing on anything malformed.
    static func decodeQP(_ encoded: String) throws -> String {
        struct Malformed: Error { var line: String }
        var bytes: [UInt8] = []
        let lines = encoded.components(separatedBy: "\r\n")
        for (number, line) in lines.enumerated() {
            let raw = Array(line.utf8)
            guard raw.count <= 76 else { throw Malformed(line: line) }
            var index = 0
            var soft = false
            while index < raw.count {
                let byte = raw[index]
                guard byte == 9 || (byte >= 32 && byte <= 126) else { throw Malformed(line: line) }
                if byte == 61 {
                    if index == raw.count - 1 { soft = true; break }
                    guard index + 2 < raw.count else { throw Malformed(line: line) }
                    guard let value = UInt8(String(decoding: raw[(index + 1)...(index + 2)], as: UTF8.self), radix: 16),
                          String(decoding: raw[(index + 1)...(index + 2)], as: UTF8.self).uppercased()
                              == String(decoding: raw[(index + 1)...(index + 2)], as: UTF8.self)
                    else { throw Malformed(line: line) }
                    bytes.append(value)
                    index += 3
                } else {
                    // Trailing whitespace on an encoded line is not allowed (it would be lost).
                    if (byte == 32 || byte == 9) && index == raw.count - 1 { throw Malformed(line: line) }
                    bytes.append(byte)
                    index += 1
                }
            }
            if !soft && number < lines.count - 1 { bytes += [13, 10] }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The two parts' encoded bodies, from a rendered message, split at the boundary lines.
    static func parts(_ parsed: Parsed) throws -> (text: String, html: String) {
        struct Unsplittable: Error {}
        guard let boundary = parsed.value("Content-Type")?.firstMatch(of: /boundary="([^"]+)"/)?.output.1 else { throw Unsplittable() }
        let pieces = ("\r\n" + parsed.body).components(separatedBy: "\r\n--\(boundary)")
        // ["", part 1, part 2, "--\r\n"]
        guard pieces.count == 4, pieces[0].isEmpty, pieces[3] == "--\r\n" else { throw Unsplittable() }
        func content(_ piece: String) throws -> String {
            guard let start = piece.range(of: "\r\n\r\n") else { throw Unsplittable() }
            return String(piece[start.upperBound...])
        }
        return (try content(pieces[1]), try content(pieces[2]))
    }

    // MARK: Message-ID

    @Test func messageIDIsStableForAKeyAndDiffersForAnother() throws {
        let first = try MessageRenderer.render(Self.request())
        let again = try MessageRenderer.render(Self.request(date: Date(timeIntervalSince1970: 1_800_000_000)))
        let other = try MessageRenderer.render(Self.request(key: "L-1|post-webinar|recording|2"))
        #expect(first.messageID == again.messageID)
        #expect(first.messageID != other.messageID)
        #expect(first.messageID.wholeMatch(of: /<[0-9a-f]{32}@example\.com>/) != nil, "\(first.messageID)")
        #expect(Parsed(first.bytes).value("Message-ID") == first.messageID)
        // Same key, same bytes, whenever it is rendered (the date aside).
        #expect(try MessageRenderer.render(Self.request()).bytes == first.bytes)
    }

    // MARK: Unsubscribe

    @Test func listUnsubscribeHasHTTPSAndMailtoAndOneClick() throws {
        let parsed = Parsed(try MessageRenderer.render(Self.request()).bytes)
        let value = try #require(parsed.value("List-Unsubscribe"))
        let links = value.matches(of: /<([^>]+)>/).map { String($0.output.1) }
        #expect(links.count == 2)
        #expect(links[0].hasPrefix("https://nurture.example.com/unsubscribe?t="))
        #expect(links[1].hasPrefix("mailto:unsubscribe@example.com?subject=unsubscribe%20"))
        #expect(parsed.value("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click")
        // The token identifies the lead and the send, and the body's link is the same one.
        let token = String(links[0].split(separator: "=").last!)
        #expect(links[1].hasSuffix(token))
        let other = Parsed(try MessageRenderer.render(Self.request(key: "another send")).bytes)
        #expect(other.value("List-Unsubscribe") != value)
        #expect(try Self.decodeQP(try Self.parts(parsed).text).contains(links[0]))
    }

    @Test func unsubscribeURLWithAQueryGetsAnAmpersand() throws {
        var request = Self.request()
        request.unsubscribe = try UnsubscribeLinks(baseURL: "https://example.com/u?list=7", mailbox: "u@example.com")
        let parsed = Parsed(try MessageRenderer.render(request).bytes)
        #expect(parsed.value("List-Unsubscribe")?.hasPrefix("<https://example.com/u?list=7&t=") == true)
    }

    // MARK: Headers

    static let expectedNames = ["Date", "From", "To", "Reply-To", "Subject", "Message-ID", "List-Unsubscribe",
                                "List-Unsubscribe-Post", "MIME-Version", "Content-Type"]

    @Test func plainMessageHeaders() throws {
        let email = try MessageRenderer.render(Self.request())
        let parsed = Parsed(email.bytes)
        #expect(parsed.names == Self.expectedNames)
        #expect(parsed.value("Date") == "Tue, 03 Mar 2026 09:00:00 +0000")
        #expect(parsed.value("From") == "\"Elena Marsh\" <elena.marsh@example.com>")
        #expect(parsed.value("To") == "\"Priya Natarajan\" <priya@example.org>")
        #expect(parsed.value("Reply-To") == "\"Hannah Lindqvist\" <hannah.lindqvist@example.com>")
        #expect(parsed.value("Subject") == "Priya, a note about Kestrel Systems")
        #expect(parsed.value("MIME-Version") == "1.0")
        #expect(parsed.value("Content-Type")?.hasPrefix("multipart/alternative; boundary=\"=_nurture_") == true)
        #expect(email.subject == "Priya, a note about Kestrel Systems")
        #expect(email.envelopeFrom == "elena.marsh@example.com")
        #expect(email.recipient == "priya@example.org")
        #expect(Parsed(try MessageRenderer.render(Self.request(replyTo: nil)).bytes).names == Self.expectedNames.filter { $0 != "Reply-To" })
    }

    @Test func nonASCIISubjectAndNamesBecomeEncodedWords() throws {
        let lead = Self.lead(["first_name": "Zoë", "last_name": "Ørsted-Ñúñez 👩🏽‍💻", "company": "Société Générale 🚀"])
        let from = Rep(name: "Élena Märsh", email: "elena.marsh@example.com")
        let email = try MessageRenderer.render(Self.request(lead, from: from))
        let parsed = Parsed(email.bytes)
        #expect(email.bytes.allSatisfy { $0 < 128 }, "the message is 7-bit")
        let subject = try #require(parsed.value("Subject"))
        #expect(subject.hasPrefix("=?UTF-8?B?"))
        #expect(Self.decodeWords(subject) == "Zoë, a note about Société Générale 🚀")
        let to = try #require(parsed.value("To"))
        #expect(to.hasSuffix(" <priya@example.org>"))
        #expect(Self.decodeWords(String(to.dropLast(" <priya@example.org>".count))) == "Zoë Ørsted-Ñúñez 👩🏽‍💻")
        let fromValue = try #require(parsed.value("From"))
        #expect(Self.decodeWords(String(fromValue.dropLast(" <elena.marsh@example.com>".count))) == "Élena Märsh")
    }

    @Test func asciiThatLooksEncodedIsEncodedAndQuotesAreEscaped() throws {
        let lead = Self.lead(["first_name": "=?UTF-8?B?SGk=?=", "last_name": "O\"Brien \\ Jr"])
        let parsed = Parsed(try MessageRenderer.render(Self.request(lead)).bytes)
        let subject = try #require(parsed.value("Subject"))
        #expect(Self.decodeWords(subject) == "=?UTF-8?B?SGk=?=, a note about Kestrel Systems")
        let to = try #require(parsed.value("To"))
        #expect(to.hasPrefix("=?UTF-8?B?"), "a name containing =? is encoded, not quoted: \(to)")

        let quoted = Parsed(try MessageRenderer.render(Self.request(Self.lead(["last_name": "O\"Brien \\ Jr"]))).bytes)
        #expect(quoted.value("To") == "\"Priya O\\\"Brien \\\\ Jr\" <priya@example.org>")
    }

    @Test(arguments: [
        ("words", String(String(repeating: "Forecast accuracy for the weekly revenue call ", count: 50).prefix(2000))),
        ("unbroken", String(repeating: "x", count: 2000)),
        ("unicode", String(String(repeating: "Prévisions fiables 📈 équipe unie ", count: 70).prefix(2000))),
        ("rtl", String(String(repeating: "توقعات يصدقها مجلس الإدارة ", count: 80).prefix(2000))),
    ])
    func longValuesFoldWithinLineLimits(kind: String, value: String) throws {
        let template = EmailTemplate(name: "t/long", subject: "{{title}}", body: "Hi {{first_name}}, {{title}}")
        let lead = Self.lead(["title": value, "first_name": value, "last_name": value])
        let email = try MessageRenderer.render(Self.request(lead, template: template))
        let parsed = Parsed(email.bytes)
        #expect(parsed.names == Self.expectedNames, "\(kind)")
        for line in parsed.lines where !line.hasPrefix("List-Unsubscribe:") && !line.hasPrefix(" <mailto:") && !line.hasPrefix("Content-Type:") {
            #expect(line.utf8.count <= 78, "\(kind): a header line of \(line.utf8.count) octets: \(line.prefix(90))")
        }
        for line in parsed.raw.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 998)
        }
        let subject = try #require(parsed.value("Subject"))
        let decoded = subject.hasPrefix("=?") ? Self.decodeWords(subject) : subject
        #expect(decoded == HeaderText.sanitized(value), "\(kind): the subject survives folding")
        let to = try #require(parsed.value("To"))
        let name = String(to.dropLast(" <priya@example.org>".count))
        #expect(Self.decodeWords(name) == HeaderText.sanitized("\(value) \(value)"), "\(kind): the name survives folding")
    }

    // MARK: Injection

    static let hostile: [String] = [
        "Priya\r\nBcc: victim@evil.example",
        "Priya\nX-Injected: yes",
        "Priya\rX-Injected: yes",
        "Priya\r\n\r\n<html>body</html>",
        "Pri\u{0}ya\u{0}Bcc: x@evil.example",
        "Priya\u{85}X-Next-Line: yes\u{2028}\u{2029}",
        "Priya\r\n Continuation: folded",
        "\r\n",
    ]

    @Test(arguments: hostile)
    func controlCharactersNeverStartAHeader(value: String) throws {
        let template = EmailTemplate(name: "t/x", subject: "{{first_name}} and {{company}}", body: "Hi {{first_name}}")
        let lead = Self.lead(["first_name": value, "last_name": value, "company": value])
        let from = Rep(name: value, email: "elena.marsh@example.com")
        let replyTo = Rep(name: value, email: "hannah.lindqvist@example.com")
        let email = try MessageRenderer.render(Self.request(lead, template: template, from: from, replyTo: replyTo))
        let parsed = Parsed(email.bytes)
        #expect(parsed.names == Self.expectedNames)
        for line in parsed.lines {
            #expect(!line.contains("\r") && !line.contains("\n") && !line.contains("\u{0}"))
        }
        #expect(!email.bytes.contains(0))
        #expect(!email.subject.contains { $0.isNewline || $0 == "\u{0}" })
        // Every CR and LF in the message is part of a CRLF.
        for (index, byte) in email.bytes.enumerated() {
            if byte == 13 { #expect(index + 1 < email.bytes.count && email.bytes[index + 1] == 10) }
            if byte == 10 { #expect(index > 0 && email.bytes[index - 1] == 13) }
        }
        #expect(email.bytes.allSatisfy { $0 < 128 })
    }

    // MARK: Addresses

    @Test(arguments: [
        ("priya@example.org\r\nBcc: victim@evil.example", "control character"),
        ("priya@example.org\n", "control character"),
        ("pri\u{0}ya@example.org", "control character"),
        ("priya natarajan@example.org", "characters an address cannot have"),
        (" priya@example.org", "characters an address cannot have"),
        ("priya@@example.org", "exactly one @"),
        ("priya@kestrel@example.org", "exactly one @"),
        ("priya.example.org", "exactly one @"),
        ("prïya@example.org", "SMTPUTF8"),
        ("普里亚@example.org", "SMTPUTF8"),
        ("priya@exämple.org", "SMTPUTF8"),
        ("@example.org", "1 to 64"),
        ("priya@localhost", "domain"),
        ("priya@example..org", "domain"),
        (".priya@example.org", "characters an address cannot have"),
        ("priya<script>@example.org", "characters an address cannot have"),
        (String(repeating: "p", count: 65) + "@example.org", "1 to 64"),
    ])
    func unusableAddressesAreRefusedClearly(address: String, reason: String) throws {
        let problem = try #require(Self.addressProblem(address), "'\(address)' was accepted")
        guard case let .invalid(text, because) = problem else { return }
        #expect(text == address)
        #expect(because.contains(reason), "\(problem)")
        #expect(problem.description.hasPrefix("'"))
        #expect(problem.description.contains("is not a usable address: \(because)"))
        #expect(!problem.description.contains("\r") && !problem.description.contains("\n") && !problem.description.contains("\u{0}"),
                "control characters are shown escaped: \(problem)")
        // Rendering for such a lead fails with the same clear message, never a mangled header.
        let failure = try #require(Self.failure(Self.request(Self.lead(email: address))), "rendered for '\(address)'")
        #expect(failure == .address(problem))
        #expect(failure.description == problem.description)
    }

    @Test func senderAndReplyToAddressesAreCheckedToo() {
        let badFrom = Self.failure(Self.request(from: Rep(name: "Elena", email: "elena@example.com\r\nBcc: x@evil.example")))
        #expect(badFrom?.description.contains("control character") == true, "\(String(describing: badFrom))")
        let badReplyTo = Self.failure(Self.request(replyTo: Rep(name: "Hannah", email: "hannah at example.com")))
        #expect(badReplyTo?.description.contains("exactly one @") == true, "\(String(describing: badReplyTo))")
    }

    @Test func usableAddressesAreKept() throws {
        for address in ["priya@example.org", "priya.natarajan+webinar@mail.kestrel-systems.co.uk", "o'brien@example.ie", "a_b-c@x1.example"] {
            #expect(try MailAddress(address).value == address)
        }
    }

    // MARK: Template fields

    @Test func missingFieldIsAnErrorNeverABlank() {
        let template = EmailTemplate(name: "t/missing", subject: "Hi {{first_name}}", body: "About {{industry}} at {{company}}")
        #expect(Self.failure(Self.request(template: template)) == .template(.missingFields(["industry"])))
        #expect(Self.failure(Self.request(template: template))?.description == "template no value for {{industry}}")
        let inSubject = EmailTemplate(name: "t/missing", subject: "{{webinar_title}}", body: "Hi")
        #expect(Self.failure(Self.request(template: inSubject)) == .template(.missingFields(["webinar_title"])))
        // An empty value is as missing as an absent one.
        #expect(Self.failure(Self.request(Self.lead(["first_name": ""]), template: template))
            == .template(.missingFields(["first_name"])), "the subject is filled first")
    }

    @Test func templateVariablesCannotInjectIntoTheBodyStructure() throws {
        // A value that imitates the MIME boundary or a part header stays inside its part.
        let email = try MessageRenderer.render(Self.request())
        let boundary = try #require(Parsed(email.bytes).value("Content-Type")?.firstMatch(of: /boundary="([^"]+)"/)?.output.1)
        let value = "x\r\n--\(boundary)\r\nContent-Type: text/html\r\n\r\n<script>alert(1)</script>\r\n--\(boundary)--"
        let hostile = try MessageRenderer.render(Self.request(Self.lead(["company": value])))
        let raw = String(decoding: hostile.bytes, as: UTF8.self)
        #expect(raw.components(separatedBy: "\r\n--\(boundary)\r\n").count == 3, "exactly two parts")
        #expect(raw.components(separatedBy: "\r\n--\(boundary)--\r\n").count == 2, "one closing boundary")
    }

    // MARK: Quoted-printable

    @Test(arguments: [
        "plain ASCII text",
        "trailing space ",
        "trailing tab\t",
        "trailing spaces   \nand on the next line too  \n",
        "equals = sign, =3D, == and a final =",
        String(repeating: "long line without breaks ", count: 40),
        String(repeating: "x", count: 300),
        String(repeating: "=", count: 100),
        String(repeating: "é", count: 100),
        ".leading dot\n..two dots\n.",
        "From the start\nFrom here too",
        "Unicode: Zoë 👩🏽‍💻 توقعات עברית 中文",
        "windows\r\nline ends\r\n",
        "\n\nblank lines\n\n",
        "tab\there and space before newline \n",
        "",
        String(repeating: "a", count: 74) + " " + String(repeating: "b", count: 10),
        String(repeating: "a", count: 75) + "=",
    ])
    func quotedPrintableRoundTrips(text: String) throws {
        let encoded = QuotedPrintable.encode(text)
        for line in encoded.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 76, "a line of \(line.utf8.count): \(line)")
            #expect(line.utf8.allSatisfy { $0 == 9 || (32...126).contains($0) })
            #expect(!line.hasPrefix("."), "a line starting with a dot is encoded")
            #expect(!line.hasPrefix("From "), "a line starting with From is encoded")
            #expect(!line.hasSuffix(" ") && !line.hasSuffix("\t"), "no trailing whitespace survives: \(line)")
        }
        let expected = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try Self.decodeQP(encoded) == expected)
    }

    @Test func bodiesAreQuotedPrintableOfTheRenderedText() throws {
        let email = try MessageRenderer.render(Self.request())
        let parts = try Self.parts(Parsed(email.bytes))
        #expect(try Self.decodeQP(parts.text) == email.text.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(try Self.decodeQP(parts.html) == email.html.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(email.text.contains("Hi Priya,"))
        #expect(email.text.contains("read it (https://nurture.example.com/unsubscribe?t="))
        #expect(email.html.contains("<strong>Kestrel Systems</strong>"))
        #expect(email.html.contains("<div style=\"display:none;max-height:0;overflow:hidden\">For Kestrel Systems</div>"))
    }

    // MARK: HTML

    @Test func htmlPartEscapesHostileValues() throws {
        let lead = Self.lead([
            "first_name": "<script>alert('x')</script>",
            "company": "<img src=x onerror=alert(1)> & \"Co\"",
        ])
        let email = try MessageRenderer.render(Self.request(lead))
        #expect(!email.html.contains("<script"), "\(email.html)")
        #expect(!email.html.contains("<img"))
        #expect(email.html.contains("Hi &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;,"))
        #expect(email.html.contains("&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Co&quot;"))
        // The title (from the subject) and the preheader are escaped as well.
        #expect(email.html.contains("<title>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;, a note about"))
        #expect(email.html.contains("For &lt;img src=x onerror=alert(1)&gt; &amp; &quot;Co&quot;</div>"))
        // The plain text part keeps the values as written: it is not HTML.
        #expect(email.text.contains("Hi <script>alert('x')</script>,"))
    }

    @Test func markdownInAValueStaysText() throws {
        let lead = Self.lead(["company": "[click me](javascript:alert(1))", "first_name": "**Priya** ![x](https://evil.example/p.png) _em_ `code`"])
        let email = try MessageRenderer.render(Self.request(lead))
        #expect(!email.html.contains("href=\"javascript:"), "\(email.html)")
        #expect(!email.html.contains("<img"))
        #expect(!email.html.contains("<em>"))
        #expect(!email.html.contains("<code>"))
        // Values are filled in after the Markdown became HTML, so they show exactly as written.
        #expect(email.html.contains("<strong>[click me](javascript:alert(1))</strong>"), "\(email.html)")
        #expect(email.html.contains("Hi **Priya** ![x](https://evil.example/p.png) _em_ `code`,"))
        #expect(email.text.contains("Hi **Priya** ![x](https://evil.example/p.png) _em_ `code`,"), "\(email.text)")
        // The template's own Markdown still works, and its link to the unsubscribe URL too.
        #expect(email.html.contains("<a href=\"https://nurture.example.com/unsubscribe?t="))
    }
}

