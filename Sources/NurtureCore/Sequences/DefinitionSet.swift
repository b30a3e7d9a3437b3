/// Everything the engine runs on: the lifecycle, the scoring model, the sequences and their emails.
public struct DefinitionSet: Sendable {
    public var lifecycle: Lifecycle
    public var scoring: ScoringModel
    public var sequences: [String: NurtureSequence]
    /// Email templates by name (`post-webinar/recording`).
    public var templates: [String: EmailTemplate]

    public init(
        lifecycle: Lifecycle, scoring: ScoringModel, sequences: [NurtureSequence], templates: [EmailTemplate] = []
    ) {
        self.lifecycle = lifecycle
        self.scoring = scoring
        self.sequences = Dictionary(sequences.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.templates = Dictionary(templates.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
