/// One sequence held by reference, so that handing it around costs one retain, with what the
/// engine asks of it on every step worked out once.
final class SequenceSlot: Sendable {
    let sequence: NurtureSequence
    /// The send window's own clock, for leads without a time zone.
    let windowClock: ZoneClock
    /// Whether each kind of event (by ordinal) ends an enrollment.
    private let exitsOnEvent: [Bool]
    /// What every send of each email step shares, by position (nil for other steps).
    let emails: [Send.Email?]
    /// The audience, checked at every enrollment.
    let audience: CompiledCondition?
    /// The thresholds' conditions, by number.
    let thresholdConditions: [CompiledCondition]
    /// The lowest score floor of the thresholds (see ``CompiledCondition/scoreFloor``): below it,
    /// none can fire, and a check looks at none of them.
    let thresholdScoreFloor: Double
    /// Each step's conditions, by position: a `wait_for`'s one, a branch's cases in order, none
    /// for other steps. Read on every call while an enrollment waits or branches.
    let stepConditions: [[CompiledCondition]]

    init(_ sequence: NurtureSequence) {
        self.sequence = sequence
        windowClock = ZoneClock(sequence.sendWindow.timeZone)
        exitsOnEvent = EngagementEvent.Kind.allCases.map(sequence.exits(on:))
        audience = sequence.audience.map(CompiledCondition.init)
        thresholdConditions = sequence.thresholds.map { CompiledCondition($0.condition) }
        thresholdScoreFloor = thresholdConditions.map(\.scoreFloor).min() ?? .infinity
        stepConditions = sequence.steps.map { step in
            switch step.kind {
            case let .waitFor(condition, _, _): [CompiledCondition(condition)]
            case let .branch(cases, _): cases.map { CompiledCondition($0.condition) }
            default: []
            }
        }
        emails = sequence.steps.enumerated().map { position, step in
            guard case let .email(template) = step.kind else { return nil }
            return Send.Email(sequence: sequence.id, step: step.id, stepIndex: position, template: template)
        }
    }

    func exits(on kind: EngagementEvent.Kind) -> Bool { exitsOnEvent[kind.ordinal] }
}
