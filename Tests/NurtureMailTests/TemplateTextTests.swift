import NurtureCore
@testable import NurtureMail
import Testing

@Suite struct TemplateTextTests {
    let lead = Lead(
        id: "L-1", email: "ana@example.org",
        owner: Rep(name: "Jordan Blake", email: "jordan@example.com", title: "Account Executive"),
        attributes: ["first_name": "Ana", "company": "Fjord & Co"])

    var fields: TemplateFields {
        TemplateFields(lead: lead, rep: lead.owner, sender: Rep(name: "Maya Chen", email: "maya@example.com"), unsubscribeURL: nil)
    }

    @Test func fillsLeadRepAndSenderFields() throws {
        let text = try TemplateText.render("{{first_name}} at {{company}}, from {{sender.name}} for {{rep.first_name}}", fields: fields)
        #expect(text == "Ana at Fjord & Co, from Maya Chen for Jordan")
    }

    @Test func refusesToLeaveABlank() {
        #expect(throws: TemplateText.Failure.missingFields(["industry", "rep.phone"])) {
            try TemplateText.render("{{industry}} {{rep.phone}} {{first_name}}", fields: fields)
        }
    }

    @Test func reportsSyntaxErrorsWithAPosition() {
        #expect {
            try TemplateText.render("Hi {{#first_name}} unclosed", fields: fields)
        } throws: { error in
            if case .syntax = error as? TemplateText.Failure { true } else { false }
        }
    }
}

extension TemplateTextTests {
    @Test func syntaxErrorsPointIntoTheTextAsWritten() {
        // The column is where Mustache finds the fault in the text parsed on its own: inside the
        // closing tag, with nothing of the plain-text pragma added.
        #expect(throws: TemplateText.Failure.syntax(line: 1, column: 20, message: "sectionCloseNameIncorrect")) {
            try TemplateText.render("Hi {{#a}} there {{/b}}", fields: fields)
        }
        #expect(throws: TemplateText.Failure.syntax(line: 1, column: 20, message: "sectionCloseNameIncorrect")) {
            try TemplateText.Compiled("Hi {{#a}} there {{/b}}", html: true)
        }
    }

    @Test func leadingAndTrailingWhitespaceIsKept() throws {
        #expect(try TemplateText.render("\n\tHi {{first_name}}\n", fields: fields) == "\n\tHi Ana\n")
    }
}
