import Ink
import NurtureCore
import Synchronization

/// An email template prepared once for every message made from it: the subject and preheader
/// parsed, and the Markdown body converted to HTML and to plain text with its Mustache tags kept
/// (see ``ShieldedTags``). A message then only fills in its fields: Markdown is not parsed per
/// message, and a value filled in is never read as Markdown.
final class CompiledEmail: Sendable {
    let template: EmailTemplate
    let subject: TemplateText.Compiled
    let preheader: TemplateText.Compiled?
    /// The plain-text part; it carries the body's variables.
    let text: TemplateText.Compiled
    /// The body as HTML, values escaped.
    let html: TemplateText.Compiled

    private static let cache = Mutex<[String: CompiledEmail]>([:])

    private init(_ template: EmailTemplate) throws(TemplateText.Failure) {
        self.template = template
        subject = try .for(template.subject)
        preheader = try template.preheader.map { text throws(TemplateText.Failure) in try .for(text) }
        // The body as written is parsed first, so that its syntax errors point into it.
        _ = try TemplateText.Compiled(template.body)
        let shielded = ShieldedTags(template.body)
        text = try .init(
            shielded.restoringText(in: PlainText.from(markdown: shielded.text)), variablesOf: template.body)
        html = try .init(
            shielded.restoringHTML(in: LinkTargets.marking(MarkdownParser().html(from: shielded.text))), html: true,
            variablesOf: template.body)
    }

    /// The prepared form of `template`, from the cache when the same template was prepared before.
    static func `for`(_ template: EmailTemplate) throws(TemplateText.Failure) -> CompiledEmail {
        if let known = cache.withLock({ $0[template.name] }), known.template == template { return known }
        let compiled = try CompiledEmail(template)
        cache.withLock { $0[template.name] = compiled }
        return compiled
    }
}
