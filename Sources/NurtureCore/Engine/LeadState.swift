import Foundation

/// Everything the engine remembers about one lead between inputs.
public struct LeadState: Hashable, Sendable, Codable {
    public var stage: String
    public var score: Score
    public var fitPoints: Double
    public var grade: String
    public var history = EngagementHistory()
    /// Every enrollment, finished ones included (re-entry rules look back at them).
    public var enrollments: [Enrollment] = []
    /// Recent send times across all sequences, oldest first, for frequency caps.
    public var recentSends: [Date] = []
    /// Set once the address must never be emailed again.
    public var suppression: EngagementEvent.Kind?

    public init(stage: String, score: Score, fitPoints: Double, grade: String) {
        self.stage = stage
        self.score = score
        self.fitPoints = fitPoints
        self.grade = grade
    }

    /// Makes this state equal to `other`, keeping the storage of its arrays and sets. A caller that
    /// runs many leads one after another (the simulator) resets one state for each instead of
    /// copying a fresh one, which would allocate every buffer anew as the lead's first enrollment,
    /// send and click fill it, and free them all at the end.
    public mutating func reset(to other: borrowing LeadState) {
        stage = other.stage
        score.reset(to: other.score)
        fitPoints = other.fitPoints
        grade = other.grade
        history.reset(to: other.history)
        enrollments.assignKeepingCapacity(other.enrollments)
        recentSends.assignKeepingCapacity(other.recentSends)
        suppression = other.suppression
    }

    /// The earliest instant at which some active enrollment needs the engine again.
    /// Read after every step of a simulation, so it looks at each enrollment's fields in place.
    public var nextWake: Date? {
        var earliest: Date?
        for index in enrollments.indices {
            guard case .active = enrollments[index].status, let wake = enrollments[index].wakeAt else { continue }
            if earliest.map({ wake < $0 }) ?? true { earliest = wake }
        }
        return earliest
    }

    public func activeEnrollment(in sequence: String) -> Int? {
        enrollments.firstIndex { $0.sequence == sequence && $0.isActive }
    }
}
