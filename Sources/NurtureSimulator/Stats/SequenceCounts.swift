/// What happened in one sequence of the definition set during a run: the simulated one, or one the
/// lifecycle moved prospects into (`enroll:` on a transition, such as re-engagement after a
/// rejection). Plain integers, merged by sums.
public struct SequenceCounts: Sendable, Equatable {
    /// Prospects enrolled in it.
    public var enrolled = 0
    public var sent = 0
    /// Hand-offs the sequence made (its hand-off steps and thresholds).
    public var handOffs = 0
    /// How its enrollments stood at the end of the run: completed, still running, or ended any
    /// other way (an exit, a hand-off, a stage change, a stall).
    public var completed = 0
    public var stillActive = 0
    public var exited = 0

    public init() {}

    mutating func add(_ other: SequenceCounts) {
        enrolled += other.enrolled
        sent += other.sent
        handOffs += other.handOffs
        completed += other.completed
        stillActive += other.stillActive
        exited += other.exited
    }
}
