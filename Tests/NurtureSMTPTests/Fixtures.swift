import Foundation
import NurtureCore
import NurtureDefinitions
import NurtureMail
import NurtureSMTP
import NurtureTestSupport

/// Messages rendered from the shipped definitions for the example lead and for hostile variants of
/// it, exactly as the sender will get them.
enum Fixtures {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let definitions: Result<DefinitionSet, Failure> = {
        let folder = PackageFolders.sequences.path
        let loaded = DefinitionLoader.load(directory: folder)
        guard let definitions = loaded.definitions, !loaded.diagnostics.hasErrors else {
            return .failure(Failure(description: "the shipped definitions do not load:\n\(loaded.diagnostics.sorted.map(\.description).joined(separator: "\n"))"))
        }
        return .success(definitions)
    }()

    static let priyaFile = PackageFolders.root.appendingPathComponent("examples/leads/priya-natarajan.yml").path

    static func priya() throws -> Lead {
        let (lead, diagnostics) = LeadFile.load(path: priyaFile)
        guard let lead else {
            throw Failure(description: "cannot load \(priyaFile): \(diagnostics.sorted.map(\.description).joined(separator: "\n"))")
        }
        return lead
    }

    /// A hostile lead: Priya with some fields replaced.
    struct Variant: Sendable, CustomStringConvertible {
        var name: String
        var attributes: [String: String]
        var description: String { name }

        func apply(to lead: Lead) -> Lead {
            var lead = lead
            lead.id = "\(lead.id)-\(name)"
            for (key, value) in attributes { lead.attributes[key] = value }
            return lead
        }
    }

    static let longTitle = String(String(repeating: "Forecast accuracy without the spreadsheet gymnastics ", count: 40).prefix(2000))

    static let variants: [Variant] = [
        Variant(name: "plain", attributes: [:]),
        Variant(name: "crlf", attributes: [
            "first_name": "Priya\r\nBcc: victim@evil.example",
            "last_name": "Natarajan\nX-Injected: yes",
            "company": "Kestrel\r\n\r\n--=_nurture_boundary\r\nContent-Type: text/html\r\n\r\n<script>alert(1)</script>",
            "webinar_title": "Forecasts\r\nSubject: spoofed\r\n\r\nbody",
        ]),
        Variant(name: "long-subject", attributes: ["webinar_title": longTitle]),
        Variant(name: "long-unbroken", attributes: [
            "webinar_title": String(repeating: "x", count: 2000),
            "last_name": String(repeating: "N", count: 300),
        ]),
        Variant(name: "long-unicode", attributes: [
            "webinar_title": String(String(repeating: "Prévisions fiables, équipe unie 📈 ", count: 70).prefix(2000)),
            "first_name": String(repeating: "Priyá ", count: 60),
        ]),
        Variant(name: "emoji", attributes: [
            "first_name": "Priya 👩🏽‍💻",
            "company": "Kestrel 🚀 Systems",
            "webinar_title": "Forecasts 📈🔥 your board will believe 👨‍👩‍👧‍👦\u{2028}next line",
        ]),
        Variant(name: "rtl", attributes: [
            "first_name": "פּרִיָה",
            "last_name": "ناتاراجان",
            "company": "שרכת קסטרל \u{200F}מערכות",
            "webinar_title": "توقعات يصدقها مجلس الإدارة",
        ]),
        Variant(name: "nul", attributes: [
            "first_name": "Pri\u{0}ya",
            "last_name": "Nata\u{0}rajan\u{7F}\u{85}",
            "company": "Kestrel\u{0}Systems",
            "webinar_title": "Forecasts\u{0}\u{1B}[31m red",
        ]),
        Variant(name: "markup", attributes: [
            "first_name": "<script>alert('hi')</script>",
            "company": "Fjord & \"Co\" <b>bold</b>",
            "webinar_title": "=?UTF-8?B?SGFja2Vk?= \\ \"quoted\" .leading dot",
        ]),
    ]

    struct Rendered: Sendable, CustomStringConvertible {
        var sequence: String
        var step: String
        var variant: String
        var lead: Lead
        var from: Rep
        var replyTo: Rep?
        var email: RenderedEmail
        var description: String { "\(sequence)/\(step) for \(variant)" }

        var outgoing: OutgoingMessage {
            OutgoingMessage(from: email.envelopeFrom, recipients: [email.recipient], bytes: email.bytes)
        }
    }

    static let date = Date(timeIntervalSince1970: 1_772_528_400)  // Tue, 03 Mar 2026 09:00:00 +0000

    /// Every email step of `sequences` (all shipped ones by default) rendered for the lead; a
    /// sequence's own lead fields the lead lacks are filled with stand-ins.
    static func render(_ lead: Lead, variant: String, sequences only: [String]? = nil) throws -> [Rendered] {
        let definitions = try definitions.get()
        var rendered: [Rendered] = []
        for id in (only ?? definitions.sequences.keys.sorted()) {
            guard let sequence = definitions.sequences[id] else { throw Failure(description: "no sequence \(id)") }
            var lead = lead
            for field in sequence.leadFields where lead.attributes[field] == nil { lead.attributes[field] = "[\(field)]" }
            let rep = definitions.lifecycle.rep(for: lead)
            let replyTo = sequence.replyTo?.resolved(rep: rep)
            guard let from = sequence.sender.resolved(rep: rep) else { throw Failure(description: "\(id) has no sender for \(lead.id)") }
            for step in sequence.steps {
                guard case let .email(name) = step.kind else { continue }
                guard let template = definitions.templates[name] else { throw Failure(description: "no template \(name)") }
                let request = MessageRequest(
                    template: template, lead: lead, rep: rep, from: from, replyTo: replyTo,
                    key: "delivery|\(lead.id)|\(id)|\(step.id)", date: date,
                    unsubscribe: try UnsubscribeLinks(baseURL: "https://nurture.example.com/unsubscribe", mailbox: "unsubscribe@example.com"),
                    domain: "example.com")
                do {
                    let email = try MessageRenderer.render(request)
                    rendered.append(Rendered(sequence: id, step: step.id, variant: variant, lead: lead, from: from, replyTo: replyTo, email: email))
                } catch {
                    throw Failure(description: "\(id)/\(step.id) for \(variant) does not render: \(error)")
                }
            }
        }
        return rendered
    }

    /// The shipped sequences for Priya, and post-webinar for every hostile variant of her.
    static func corpus() throws -> [Rendered] {
        let priya = try priya()
        var all = try render(priya, variant: "priya")
        for variant in variants {
            all += try render(variant.apply(to: priya), variant: variant.name, sequences: ["post-webinar"])
        }
        return all
    }

    /// What a header shows of a value: control characters (C0, DEL, C1), line and paragraph
    /// separators and spaces become one space, the ends trimmed. Written independently of the renderer's own sanitising.
    static func headerText(_ text: String) -> String {
        var result = ""
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || v == 0x7F || (0x80..<0xA0).contains(v) || v == 0x2028 || v == 0x2029 || scalar == " " {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace { result.append(" ") }
            pendingSpace = false
            result.unicodeScalars.append(scalar)
        }
        return result
    }

    static let headerNames = ["Date", "From", "To", "Subject", "Message-ID", "List-Unsubscribe",
                              "List-Unsubscribe-Post", "MIME-Version", "Content-Type"]

    static func expectedHeaders(replyTo: Bool) -> [String] {
        replyTo ? Array(headerNames.prefix(3)) + ["Reply-To"] + headerNames.dropFirst(3) : headerNames
    }
}
