/// The prospects a campaign will meet: a mix of personas and of time zones.
public struct Population: Sendable {
    public var version: Int
    public var personas: [Persona]
    public var mix: Mix<Int>
    public var timeZones: Mix<String>

    public init?(version: Int = 1, personas: [Persona], timeZones: Mix<String>) {
        guard let mix = Mix(personas.indices.map { ($0, personas[$0].share) }) else { return nil }
        self.version = version
        self.personas = personas
        self.mix = mix
        self.timeZones = timeZones
    }
}
