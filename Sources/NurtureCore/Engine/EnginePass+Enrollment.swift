import Foundation

extension EnginePass {
    /// Enrolls the lead when the sequence's audience and re-entry rules allow it; one active
    /// enrollment per lead per sequence.
    mutating func enroll(in sequenceID: String) {
        let slot = engine.slot(for: sequenceID)
        if let refusal = refusal(for: sequenceID, slot: slot) {
            if wants(.enrollmentRefused) { effects.append(.enrollmentRefused(sequence: sequenceID, reason: refusal)) }
            return
        }
        // Made in place in the array: a local enrollment appended was copied, then destroyed.
        state.enrollments.append(Enrollment(sequence: sequenceID, enrolledAt: now, slot: slot ?? -1))
        if wants(.enrolled) { effects.append(.enrolled(sequence: sequenceID)) }
    }

    /// Why the lead may not enroll in the sequence at `slot` (nil when there is no such sequence).
    func refusal(for sequenceID: String, slot: Int?) -> EnrollmentRefusal? {
        guard let slot else { return .unknownSequence }
        return refusal(for: sequenceID, in: engine.rules.slots[slot])
    }

    /// Why the lead may not enroll in the sequence held in `slot`.
    private func refusal(for sequenceID: String, in slot: SequenceSlot) -> EnrollmentRefusal? {
        if let suppression = state.suppression { return .suppressed(suppression) }
        if state.activeEnrollment(in: sequenceID) != nil { return .alreadyEnrolled }
        if let previous = state.enrollments.last(where: { $0.sequence == sequenceID }) {
            switch slot.sequence.reentry {
            case .always:
                // Sends are keyed by (sequence, step, enrolledAt): two enrollments in one sequence
                // must not start at the same instant, or the second one's emails repeat the first's keys.
                let allowed = previous.enrolledAt.addingTimeInterval(1)
                if now < allowed { return .reentryNotAllowed(until: allowed) }
            case .never: return .reentryNotAllowed(until: nil)
            case let .after(span):
                let allowed = (lead.clock ?? slot.windowClock).adding(span, to: previous.enrolledAt)
                if now < allowed { return .reentryNotAllowed(until: allowed) }
            }
        }
        if let audience = slot.audience, !audience.holds(self), let condition = slot.sequence.audience {
            return .notInAudience(condition)
        }
        let missing = slot.sequence.requiredFields.filter { lead.value(of: $0)?.isEmpty ?? true }
        if !missing.isEmpty { return .missingFields(missing) }
        let repFields = slot.sequence.requiredRepFields
        if !repFields.isEmpty {
            let missingRep = repFields.filter { (rep?.value(of: $0) ?? "").isEmpty }
            if !missingRep.isEmpty { return .missingRepFields(rep: rep?.email, missingRep) }
        }
        return nil
    }
}
