import Foundation
import NurtureCore

/// One email for one lead: the template filled in, turned into an RFC 5322 message with a plain
/// text and an HTML part.
public struct MessageRequest: Sendable {
    public var template: EmailTemplate
    public var lead: Lead
    /// The lead's rep (for `rep.*` fields).
    public var rep: Rep?
    public var from: Rep
    public var replyTo: Rep?
    /// The send's idempotency key (lead, enrollment, step, attempt series): the same key gives the
    /// same Message-ID, so a resent duplicate is recognisable.
    public var key: String
    public var date: Date
    public var unsubscribe: UnsubscribeLinks
    /// Domain for Message-IDs, usually the sending domain.
    public var domain: String
    /// Click and open tracking for the HTML part, when the sequence asks for it.
    public var tracking: TrackingLinks?

    /// The domain of a sender's address, for Message-IDs.
    public static func domain(of sender: Rep) -> String {
        sender.email.split(separator: "@").last.map(String.init) ?? "localhost"
    }

    public init(
        template: EmailTemplate, lead: Lead, rep: Rep?, from: Rep, replyTo: Rep? = nil, key: String, date: Date,
        unsubscribe: UnsubscribeLinks, domain: String, tracking: TrackingLinks? = nil
    ) {
        self.template = template
        self.lead = lead
        self.rep = rep
        self.from = from
        self.replyTo = replyTo
        self.key = key
        self.date = date
        self.unsubscribe = unsubscribe
        self.domain = domain
        self.tracking = tracking
    }
}

/// A message ready to hand to the sender.
public struct RenderedEmail: Sendable {
    public var messageID: String
    public var envelopeFrom: String
    public var recipient: String
    public var subject: String
    public var text: String
    public var html: String
    /// The whole message, CRLF line ends, 7-bit clean.
    public var bytes: [UInt8]
    /// The addresses of the HTML part's tracked links, by link index; empty when not tracked.
    public var links: [String] = []
}

public enum MessageRenderer {
    public enum Failure: Error, Hashable, Sendable, CustomStringConvertible {
        case address(MailAddress.Problem)
        case template(TemplateText.Failure)
        /// A header or the whole message would break a limit (see ``HeaderText`` and ``maxBytes``).
        case unsendable(String)

        public var description: String {
            switch self {
            case let .address(problem): problem.description
            case let .template(problem): "template \(problem)"
            case let .unsendable(reason): reason
            }
        }
    }

    /// The largest message rendered: far above any real email, far below what fills a relay's queue.
    public static let maxBytes = 2 << 20

    public static func render(_ request: MessageRequest) throws(Failure) -> RenderedEmail {
        let to: MailAddress, from: MailAddress, replyTo: MailAddress?
        do throws(MailAddress.Problem) {
            to = try MailAddress(request.lead.email)
            from = try MailAddress(request.from.email)
            if let address = request.replyTo?.email { replyTo = try MailAddress(address) } else { replyTo = nil }
        } catch {
            throw .address(error)
        }
        let links = request.unsubscribe.links(leadID: request.lead.id, messageKey: request.key)
        let fields = TemplateFields(lead: request.lead, rep: request.rep, sender: request.from, unsubscribeURL: links.https)
        // The Mustache shape of the fields, built at most once, and only for texts that need it.
        var shape: [String: Any]?
        func context() -> [String: Any] {
            if let shape { return shape }
            shape = fields.context
            return shape!
        }
        let subject: String, text: String, filledBody: String, preheader: String?
        do throws(TemplateText.Failure) {
            let compiled = try CompiledEmail.for(request.template)
            subject = try compiled.subject.render(fields, context: context)
            text = try compiled.text.render(fields, context: context)
            filledBody = try compiled.html.render(fields, context: context)
            preheader = try compiled.preheader?.render(fields, context: context)
        } catch {
            throw .template(error)
        }
        var body = try LinkTargets.finish(filledBody)
        var tracked: [String] = []
        if let tracking = request.tracking {
            (body, tracked) = tracking.track(body, leadID: request.lead.id, messageKey: request.key, unsubscribeURL: links.https)
        }
        let shownSubject = HeaderText.sanitized(subject)
        let html = HTMLDocument.wrap(
            body: body, subject: HTMLDocument.escape(shownSubject),
            preheader: preheader.map { HTMLDocument.escape(HeaderText.sanitized($0)) })

        let digest = StableHash.hex(request.key)
        let messageID = "<\(digest)@\(request.domain)>"
        let boundary = "=_nurture_\(digest)"
        var headers = [
            "Date: \(Self.date(request.date))",
            HeaderText.mailbox("From", name: request.from.name, address: from),
            HeaderText.mailbox("To", name: request.lead.displayName, address: to),
        ]
        if let replyTo { headers.append(HeaderText.mailbox("Reply-To", name: request.replyTo?.name, address: replyTo)) }
        headers += [
            HeaderText.unstructured("Subject", subject),
            "Message-ID: \(messageID)",
            "List-Unsubscribe: <\(links.https)>,\r\n <\(links.mailto)>",
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
        ]
        var bytes = try HeaderText.block(headers)
        guard bytes.count + (text.utf8.count + html.utf8.count) <= maxBytes else {
            throw .unsendable("the message would be larger than \(maxBytes >> 20) MiB")
        }
        bytes.reserveCapacity(1024 + (text.utf8.count + html.utf8.count) * 11 / 10)
        for (type, content) in [("text/plain", text), ("text/html", html)] {
            bytes += "--\(boundary)\r\nContent-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n".utf8
            QuotedPrintable.encode(content, into: &bytes)
            bytes += [13, 10]
        }
        bytes += "--\(boundary)--\r\n".utf8
        guard bytes.count <= maxBytes else { throw .unsendable("the message would be larger than \(maxBytes >> 20) MiB") }
        return RenderedEmail(
            messageID: messageID, envelopeFrom: from.value, recipient: to.value, subject: shownSubject,
            text: text, html: html, bytes: bytes, links: tracked)
    }

    /// RFC 5322 date in UTC: `Tue, 03 Mar 2026 09:00:00 +0000`.
    /// Worked out with integer arithmetic (days to civil date) rather than a `DateFormatter` per
    /// message: it is on every send's path.
    static func date(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let second = seconds - days * 86_400
        // Howard Hinnant's days-from-civil inverse.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][Int(((days % 7) + 7) % 7)]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(weekday), \(two(day)) \(months[Int(month - 1)]) \(year) \(two(second / 3600)):\(two(second % 3600 / 60)):\(two(second % 60)) +0000"
    }
}
