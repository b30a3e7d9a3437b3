/// The prospects a campaign will meet: a mix of personas and of time zones.
public struct Population: Sendable {
    public var version: Int
    public var personas: [Persona]
    public var mix: Mix<Int>
    public var timeZones: Mix<String>
    /// How the sales team answers hand-offs; nil when the file has no `reps:` section, and the
    /// dry-run then counts hand-offs without forecasting the service level.
    public var reps: RepBehaviour?

    public init?(version: Int = 1, personas: [Persona], timeZones: Mix<String>, reps: RepBehaviour? = nil) {
        guard let mix = Mix(personas.indices.map { ($0, personas[$0].share) }) else { return nil }
        self.version = version
        self.personas = personas
        self.mix = mix
        self.timeZones = timeZones
        self.reps = reps
    }
}
