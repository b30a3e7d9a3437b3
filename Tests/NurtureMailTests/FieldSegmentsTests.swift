import NurtureCore
@testable import NurtureMail
import PropertyBased
import Testing

/// Texts made only of variables are filled in by concatenation; the Mustache renderer stays the
/// reference, and these check the two agree.
@Suite struct FieldSegmentsTests {
    static let names = ["first_name", "company", "rep.name", "sender.first_name", "unsubscribe_url", "x-y"]
    /// Characters that mean something to HTML, to Mustache or to Markdown, and some that are not ASCII.
    static let alphabet = Array("ab <>&\"'{}.#/^!=%*_[]()\n\té😀")

    struct Case: CustomStringConvertible {
        var source: String
        var values: [String: String]
        var description: String { "\(source.debugDescription) with \(values)" }
    }

    static var text: Generator<String, some Sequence & SendableMetatype> {
        Gen.int(in: 0..<alphabet.count).array(of: 0...12).map { indices in
            // A lone "{" next to a tag would make a different tag: keep literal braces apart.
            String(indices.map { alphabet[$0] }).replacingOccurrences(of: "{", with: "{ ")
                .replacingOccurrences(of: "}", with: " }")
        }
    }

    static var cases: Generator<Case, some Sequence & SendableMetatype> {
        let tag = zip(Gen.int(in: 0..<names.count), Gen.int(in: 0...3), Gen.bool).map { name, form, padded in
            let name = padded ? " \(names[name]) " : names[name]
            return switch form {
            case 0: "{{\(name)}}"
            case 1: "{{{\(name)}}}"
            case 2: "{{&\(name)}}"
            default: "{{\(name)}}"
            }
        }
        let piece = zip(text, tag).array(of: 0...6)
        let values = text.array(of: names.count...names.count)
        return zip(piece, text, values).map { pieces, tail, values in
            Case(
                source: pieces.map { $0.0 + $0.1 }.joined() + tail,
                values: Dictionary(uniqueKeysWithValues: zip(names, values.map { "v" + $0 })))
        }
    }

    static func fields(_ values: [String: String]) -> TemplateFields {
        var fields = TemplateFields(lead: Lead(id: "L", email: "l@example.com"), rep: nil, sender: nil, unsubscribeURL: nil)
        fields.values = values
        return fields
    }

    /// The one known difference: the Mustache renderer drops blanks after a text's last newline
    /// (its final line, when that holds only spaces and tabs); filling in keeps them.
    static func withoutTrailingBlanks(_ text: String) -> String {
        let lastLine = text.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
        return text[lastLine...].allSatisfy { $0 == " " || $0 == "\t" } ? String(text[..<lastLine]) : text
    }

    @Test func fillingInAgreesWithTheMustacheRenderer() async {
        await propertyCheck(count: 400, input: Self.cases) { sample in
            for html in [false, true] {
                guard let compiled = try? TemplateText.Compiled(sample.source, html: html) else {
                    Issue.record("does not parse: \(sample)")
                    return
                }
                let segments = try #require(compiled.segments, "only variables: \(sample)")
                let fields = Self.fields(sample.values)
                let filled = Self.withoutTrailingBlanks(segments.fill(fields.values))
                #expect(filled == Self.withoutTrailingBlanks(compiled.template.render(fields.context)), "html \(html): \(sample)")
            }
        }
    }

    @Test(arguments: [
        "{{#company}}x{{/company}}", "{{^company}}x{{/company}}", "{{! note }}", "{{> partial}}",
        "{{=<% %>=}}", "{{.}}", "{{company.}}", "{{ }}", "{{a..b}}",
    ])
    func anythingButVariablesIsLeftToMustache(source: String) {
        #expect(FieldSegments("Hi \(source)", html: true) == nil)
    }

    @Test func valuesAreNeverReadAsTags() {
        let segments = FieldSegments("Hi {{first_name}}", html: false)
        #expect(segments?.fill(["first_name": "{{company}}"]) == "Hi {{company}}")
    }
}
