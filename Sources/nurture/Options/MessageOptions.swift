import ArgumentParser
import Foundation
import NurtureCore
import NurtureDefinitions
import NurtureMail

/// What `render` and `send-test` share: the step to render, the lead, and where unsubscribes go.
struct MessageOptions: ParsableArguments {
    @OptionGroup var selection: SequenceSelection

    @Argument(help: "The id of an email step in the sequence.")
    var step: String

    @Option(help: ArgumentHelp("The lead, as a YAML or JSON file (default: a sample lead).", valueName: "file"))
    var lead: String?

    @OptionGroup var unsubscribe: UnsubscribeOptions

    /// Renders the step for the lead, with `key` as the idempotency key.
    /// A preview (`render`) may sign its links with a throwaway key; a real send may not.
    func render(key: (Lead, NurtureSequence) -> String, recipient: String? = nil, preview: Bool = false) throws -> RenderedEmail {
        let (definitions, sequence) = try selection.load()
        guard let index = sequence.stepIndex(step) else {
            throw ValidationError("no step '\(step)' in \(sequence.id); its steps are \(sequence.steps.map(\.id).joined(separator: ", "))")
        }
        guard case let .email(templateName) = sequence.steps[index].kind, let template = definitions.templates[templateName] else {
            throw ValidationError("step '\(step)' of \(sequence.id) sends no email")
        }
        var theLead = try loadLead(for: sequence)
        if let recipient { theLead.email = recipient }
        guard let request = MessageRequest(
            step: template, of: sequence, lead: theLead, lifecycle: definitions.lifecycle, key: key(theLead, sequence), date: Date(),
            unsubscribe: try unsubscribe.links(requireKeyring: !preview))
        else { throw ValidationError("\(sequence.id) is sent by the lead's rep, and the lead has none") }
        do {
            return try MessageRenderer.render(request)
        } catch {
            throw ValidationError("cannot render \(sequence.id)/\(step): \(error)")
        }
    }

    func loadLead(for sequence: NurtureSequence) throws -> Lead {
        guard let lead else { return Self.sampleLead(for: sequence) }
        let (loaded, diagnostics) = LeadFile.load(path: lead)
        for diagnostic in diagnostics.sorted { Terminal.error(diagnostic.description) }
        guard let loaded else { throw ExitCode(1) }
        return loaded
    }

    /// A stand-in lead whose every field says what it is, for a look at a template.
    static func sampleLead(for sequence: NurtureSequence) -> Lead {
        var attributes = [
            "first_name": "Alex", "last_name": "Sample", "company": "Sample Co", "title": "Director of Revenue Operations",
            "industry": "software", "company_size": "850", "country": "United States",
        ]
        for field in sequence.leadFields { attributes[field] = "[\(field)]" }
        return Lead(
            id: "sample", email: "alex.sample@example.org", timeZone: TimeZone(identifier: "America/New_York"),
            owner: Rep(name: "Jordan Blake", email: "jordan.blake@example.com", title: "Account Executive", phone: "+1 212 555 0100"),
            attributes: attributes)
    }
}
