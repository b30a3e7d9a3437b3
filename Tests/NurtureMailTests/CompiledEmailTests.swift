import NurtureCore
@testable import NurtureMail
import Testing

/// The Markdown body is converted once per template with its Mustache tags kept; each message
/// only fills in fields. These pin that the tags survive the conversion as they were meant.
@Suite struct CompiledEmailTests {
    static func render(_ body: String, _ attributes: [String: String] = [:]) throws -> RenderedEmail {
        var fields = ["first_name": "Priya", "company": "Kestrel Systems", "company_name": "Kestrel", "title": "CFO"]
        for (key, value) in attributes { fields[key] = value }
        let lead = Lead(id: "L-1", email: "priya@example.org", attributes: fields)
        let template = EmailTemplate(name: "compiled/\(body.hashValue)", subject: "Hello", body: body)
        return try MessageRenderer.render(MessageRequest(
            template: template, lead: lead, rep: nil, from: Rep(name: "Elena Marsh", email: "elena@example.com"),
            key: "k", date: .init(timeIntervalSince1970: 0),
            unsubscribe: try UnsubscribeLinks(baseURL: "https://u.example.com/u", mailbox: "u@example.com"),
            domain: "example.com"))
    }

    @Test func underscoresInFieldNamesAreNotEmphasis() throws {
        let email = try Self.render("Hi {{first_name}}, about {{company_name}} and {{first_name}}.")
        #expect(email.html.contains("<p>Hi Priya, about Kestrel and Priya.</p>"), "\(email.html)")
        #expect(!email.html.contains("<em>"))
        #expect(email.text == "Hi Priya, about Kestrel and Priya.")
    }

    @Test func tagsInsideMarkdownStructuresAreFilled() throws {
        let body = "# For {{company}}\n\n- **{{title}}** at [{{company}}]({{unsubscribe_url}})\n- `{{first_name}}`\n"
        let email = try Self.render(body)
        #expect(email.html.contains("<h1>For Kestrel Systems</h1>"), "\(email.html)")
        #expect(email.html.contains("<li><strong>CFO</strong> at <a href=\"https://u.example.com/u?t="), "\(email.html)")
        #expect(email.html.contains("<code>Priya</code>"))
        #expect(email.text.contains("**CFO** at Kestrel Systems (https://u.example.com/u?t=") == false)
        #expect(email.text.contains("CFO at Kestrel Systems (https://u.example.com/u?t="), "\(email.text)")
    }

    @Test func tripleMustacheIsStillEscapedInHTML() throws {
        let email = try Self.render("Hi {{{first_name}}} and {{& company}}", ["first_name": "<b>x</b>", "company": "A & B"])
        #expect(email.html.contains("Hi &lt;b&gt;x&lt;/b&gt; and A &amp; B"), "\(email.html)")
        #expect(email.text == "Hi <b>x</b> and A & B")
    }

    @Test func sectionsOnLinesOfTheirOwnLeaveNoEmptyParagraph() throws {
        let body = "Hi {{first_name}},\n\n{{#title}}\nAs {{title}}, you will like this.\n{{/title}}\n\nBye"
        let shown = try Self.render(body)
        #expect(shown.html.contains("As CFO, you will like this."), "\(shown.html)")
        #expect(shown.text.contains("As CFO, you will like this."))
        let hiddenBody = "Hi {{first_name}},\n\n{{^first_name}}\n\nNever shown.\n\n{{/first_name}}\n\nBye"
        let hidden = try Self.render(hiddenBody)
        #expect(!hidden.html.contains("Never shown"))
        #expect(!hidden.html.contains("<p></p>"), "\(hidden.html)")
        #expect(hidden.html.contains("<p>Bye</p>"))
    }

    @Test func aChangedTemplateUnderTheSameNameIsPreparedAgain() throws {
        let lead = Lead(id: "L-1", email: "priya@example.org", attributes: ["first_name": "Priya"])
        func render(_ body: String) throws -> String {
            try MessageRenderer.render(MessageRequest(
                template: EmailTemplate(name: "compiled/same-name", subject: "s", body: body), lead: lead, rep: nil,
                from: Rep(name: "E", email: "e@example.com"), key: "k", date: .init(timeIntervalSince1970: 0),
                unsubscribe: try UnsubscribeLinks(baseURL: "https://u.example.com/u", mailbox: "u@example.com"),
                domain: "example.com")).text
        }
        #expect(try render("One {{first_name}}") == "One Priya")
        #expect(try render("Two {{first_name}}") == "Two Priya")
    }
}
