import Foundation
import NurtureCore

/// A rep notice (a hand-off, a notification, a task) as an RFC 5322 message: plain text, from a
/// team-editable template under `templates/rep/`, every placeholder filled or the notice refused.
public enum NoticeRenderer {
    public struct Request: Sendable {
        public var template: EmailTemplate
        /// The values the template sees (see `NoticeFields`).
        public var fields: [String: String]
        public var from: Rep
        public var to: Rep
        /// The notice's idempotency key: the same notice always has the same Message-ID.
        public var key: String
        public var date: Date
        public var domain: String

        public init(template: EmailTemplate, fields: [String: String], from: Rep, to: Rep, key: String, date: Date, domain: String) {
            self.template = template
            self.fields = fields
            self.from = from
            self.to = to
            self.key = key
            self.date = date
            self.domain = domain
        }
    }

    public static func render(_ request: Request) throws(MessageRenderer.Failure) -> RenderedEmail {
        let to: MailAddress, from: MailAddress
        do throws(MailAddress.Problem) {
            to = try MailAddress(request.to.email)
            from = try MailAddress(request.from.email)
        } catch {
            throw .address(error)
        }
        let fields = TemplateFields(values: request.fields)
        let subject: String, text: String
        do throws(TemplateText.Failure) {
            subject = try TemplateText.render(request.template.subject, fields: fields)
            text = try TemplateText.render(request.template.body, fields: fields)
        } catch {
            throw .template(error)
        }
        let digest = StableHash.hex("notice|\(request.key)")
        let messageID = "<\(digest)@\(request.domain)>"
        let headers = [
            "Date: \(MessageRenderer.date(request.date))",
            HeaderText.mailbox("From", name: request.from.name, address: from),
            HeaderText.mailbox("To", name: request.to.name, address: to),
            HeaderText.unstructured("Subject", subject),
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
        ]
        var bytes = try HeaderText.block(headers)
        QuotedPrintable.encode(text, into: &bytes)
        bytes += [13, 10]
        return RenderedEmail(
            messageID: messageID, envelopeFrom: from.value, recipient: to.value, subject: HeaderText.sanitized(subject),
            text: text, html: "", bytes: bytes)
    }
}
