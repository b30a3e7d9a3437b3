/// Which kinds of ``Effect`` a caller acts on.
///
/// A caller that ignores most effects (the simulator counts sends and hand-offs, and nothing else)
/// says so, and the engine leaves the others unbuilt: no reasons spelled out, no deadlines worked
/// out, no strings retained only to be thrown away. The lead's state changes exactly as it would
/// with every kind kept.
public struct EffectKinds: OptionSet, Hashable, Sendable {
    public let rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let enrolled = EffectKinds(rawValue: 1 << 0)
    public static let enrollmentRefused = EffectKinds(rawValue: 1 << 1)
    public static let send = EffectKinds(rawValue: 1 << 2)
    public static let wake = EffectKinds(rawValue: 1 << 3)
    public static let scoreChanged = EffectKinds(rawValue: 1 << 4)
    public static let stageChanged = EffectKinds(rawValue: 1 << 5)
    public static let handOff = EffectKinds(rawValue: 1 << 6)
    public static let notifyRep = EffectKinds(rawValue: 1 << 7)
    public static let task = EffectKinds(rawValue: 1 << 8)
    public static let exited = EffectKinds(rawValue: 1 << 9)
    public static let completed = EffectKinds(rawValue: 1 << 10)
    public static let suppressed = EffectKinds(rawValue: 1 << 11)
    public static let actionRefused = EffectKinds(rawValue: 1 << 12)

    public static let all = EffectKinds(rawValue: (1 << 13) - 1)
}

extension Effect {
    /// The effect's kind, for filtering.
    public var kind: EffectKinds {
        switch self {
        case .enrolled: .enrolled
        case .enrollmentRefused: .enrollmentRefused
        case .send: .send
        case .wake: .wake
        case .scoreChanged: .scoreChanged
        case .stageChanged: .stageChanged
        case .handOff: .handOff
        case .notifyRep: .notifyRep
        case .task: .task
        case .exited: .exited
        case .completed: .completed
        case .suppressed: .suppressed
        case .actionRefused: .actionRefused
        }
    }
}
