import Foundation

extension EnginePass {
    /// Enrolls the lead when the sequence's audience and re-entry rules allow it; one active
    /// enrollment per lead per sequence.
    mutating func enroll(in sequenceID: String) {
        if let refusal = refusal(for: sequenceID) {
            effects.append(.enrollmentRefused(sequence: sequenceID, reason: refusal))
            return
        }
        var enrollment = Enrollment(sequence: sequenceID, enrolledAt: now)
        enrollment.slot = engine.slot(for: sequenceID) ?? -1
        state.enrollments.append(enrollment)
        effects.append(.enrolled(sequence: sequenceID))
    }

    func refusal(for sequenceID: String) -> EnrollmentRefusal? {
        guard let sequence = definitions.sequences[sequenceID] else { return .unknownSequence }
        if let suppression = state.suppression { return .suppressed(suppression) }
        if state.activeEnrollment(in: sequenceID) != nil { return .alreadyEnrolled }
        if let previous = state.enrollments.last(where: { $0.sequence == sequenceID }) {
            switch sequence.reentry {
            case .always:
                // Sends are keyed by (sequence, step, enrolledAt): two enrollments in one sequence
                // must not start at the same instant, or the second one's emails repeat the first's keys.
                let allowed = previous.enrolledAt.addingTimeInterval(1)
                if now < allowed { return .reentryNotAllowed(until: allowed) }
            case .never: return .reentryNotAllowed(until: nil)
            case let .after(span):
                let allowed = ZoneClock(lead.timeZone ?? sequence.sendWindow.timeZone)
                    .adding(span, to: previous.enrolledAt)
                if now < allowed { return .reentryNotAllowed(until: allowed) }
            }
        }
        if let audience = sequence.audience, !audience.evaluate(self) { return .notInAudience(audience) }
        return nil
    }
}
