import Foundation

/// What the engine asks its caller to do, or tells it happened. The simulator, the scheduler and
/// `nurture trace` carry these out each in their own way.
public enum Effect: Hashable, Sendable {
    case enrolled(sequence: String)
    case enrollmentRefused(sequence: String, reason: EnrollmentRefusal)
    /// Send this email now.
    case send(Send)
    /// Call the engine again with `.timePassed` at this instant.
    case wake(sequence: String, at: Date)
    case scoreChanged(from: Double, to: Double, reason: String)
    case stageChanged(from: String, to: String, reason: String)
    case handOff(HandOff)
    case notifyRep(Rep?, message: String, sequence: String?)
    case task(Rep?, title: String, due: Date?, sequence: String)
    case exited(sequence: String, reason: Enrollment.ExitReason)
    case completed(sequence: String)
    /// The address must never be emailed again.
    case suppressed(EngagementEvent.Kind)
    /// A rep's action that the lifecycle does not allow from the lead's stage.
    case actionRefused(RepAction, stage: String)
}

public enum EnrollmentRefusal: Hashable, Sendable, CustomStringConvertible {
    case unknownSequence
    case suppressed(EngagementEvent.Kind)
    case alreadyEnrolled
    case reentryNotAllowed(until: Date?)
    case notInAudience(Condition)
    /// The sequence's emails use lead fields this lead lacks; it would get blanks.
    case missingFields([String])
    /// The emails use fields of the lead's rep that the rep's profile lacks (or the lead has no rep).
    case missingRepFields(rep: String?, [String])

    public var description: String {
        switch self {
        case .unknownSequence: "no such sequence"
        case let .suppressed(kind): "address suppressed (\(kind.rawValue))"
        case .alreadyEnrolled: "already enrolled"
        case .reentryNotAllowed(nil): "was enrolled before and re-entry is not allowed"
        case let .reentryNotAllowed(.some(date)): "re-entry allowed only from \(date)"
        case let .notInAudience(condition): "outside the audience (\(condition))"
        case let .missingFields(fields): "the lead has no \(fields.joined(separator: ", ")), which the emails use"
        case let .missingRepFields(rep?, fields): "its rep \(rep) has no \(fields.joined(separator: ", ")), which the emails use"
        case let .missingRepFields(nil, fields): "it has no rep to give \(fields.joined(separator: ", ")), which the emails use"
        }
    }
}

/// A lead handed to sales, with why, and when the service level says it must be answered.
public struct HandOff: Hashable, Sendable {
    public var rep: Rep?
    public var reason: String
    public var sequence: String?
    public var score: Double
    public var grade: String
    public var due: Date?
    public var at: Date

    public init(rep: Rep?, reason: String, sequence: String?, score: Double, grade: String, due: Date?, at: Date) {
        self.rep = rep
        self.reason = reason
        self.sequence = sequence
        self.score = score
        self.grade = grade
        self.due = due
        self.at = at
    }
}
