import NurtureCore
import NurtureDefinitions
import NurturePresentation
import NurtureTestSupport
import Testing

/// `explain`'s forms, made in process from the shipped definitions.
@Suite("Sequence presentation")
struct PresentationTests {
    static let definitions = DefinitionLoader.load(directory: PackageFolders.sequences.path).definitions

    @Test(arguments: ["post-webinar", "trial-onboarding", "recycled-reengagement", "post-demo-not-ready"])
    func everyStepIsExplainedAndDrawn(_ id: String) throws {
        let definitions = try #require(Self.definitions)
        let sequence = try #require(definitions.sequences[id])
        let text = SequenceExplanation(sequence: sequence, definitions: definitions).text
        let diagram = SequenceDiagram(sequence: sequence)
        let (mermaid, dot) = (diagram.mermaid, diagram.dot)
        #expect(mermaid.hasPrefix("flowchart TD") && dot.hasPrefix("digraph"))
        for step in sequence.steps {
            #expect(text.contains("\(step.id): "), "\(id): the explanation does not mention step \(step.id)")
            #expect(mermaid.contains(step.id) && dot.contains(step.id), "\(id): the diagrams do not draw step \(step.id)")
        }
    }
}
