import NurturePresentation
import ArgumentParser
import NurtureCore

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Describe a sequence in plain words: who enters, the steps, the exits and the thresholds."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, mermaid, dot
    }

    @OptionGroup var selection: SequenceSelection

    @Option(help: "text, or mermaid or dot for a diagram of the step graph.")
    var format: Format = .text

    func run() throws {
        let (definitions, sequence) = try selection.load()
        switch format {
        case .text: print(SequenceExplanation(sequence: sequence, definitions: definitions).text, terminator: "")
        case .mermaid: print(SequenceDiagram(sequence: sequence).mermaid, terminator: "")
        case .dot: print(SequenceDiagram(sequence: sequence).dot, terminator: "")
        }
    }
}
