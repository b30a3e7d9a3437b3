import Foundation
import NurtureCore

/// The reps' answers in a run: each hand-off gets its rep's answer, drawn when it is made, and the
/// answer goes into the same engine at its time, as the hand-off desk queues it for the scheduler,
/// so that `lifecycle.yml` moves and recycles the lead as it would for real. An answer later than
/// the hand-off's due time never comes: the hand-off expires then, and the lifecycle's `on_expiry`
/// applies, as the scheduler's expiry pass does.
extension ProspectRun {
    /// Mixed into the seed for the reps' streams ("REPS").
    static let repStream: UInt64 = 0x5245_5053

    /// A hand-off waiting for its rep.
    struct PendingAnswer {
        var answer: RepAnswers.Answer
        var handedOff: Date
        /// The service level's deadline the engine set on the hand-off.
        var due: Date?
        var grade: Int
        /// Handed to the default owner's queue after expiring unanswered.
        var queued: Bool

        /// The answer comes after the due time: the hand-off expires at it instead.
        var expires: Bool { due.map { answer.at > $0 } ?? false }
        /// When the run acts on it: the answer, or the expiry.
        var at: Date { expires ? due! : answer.at }
    }

    /// Counts a hand-off the engine made and draws its rep's answer.
    mutating func handOffToRep(_ handOff: HandOff, at now: Date, outcome: inout Outcome, stats: inout SimulationStats) {
        guard let answers = repAnswers else { return }
        let grade = answers.gradeIndex(handOff.grade)
        stats.sla!.handOffs += 1
        stats.sla!.gradeHandOffs[grade] += 1
        if outcome.recycled, !outcome.returned {
            outcome.returned = true
            stats.sla!.returnedLeads += 1
        }
        // A lead handed off again before its earlier hand-off was answered leaves that one open.
        if pendingAnswer != nil { stats.sla!.open += 1 }
        wait(for: answers, grade: grade, handedOff: now, due: handOff.due, queued: false)
    }

    private mutating func wait(for answers: RepAnswers, grade: Int, handedOff: Date, due: Date?, queued: Bool) {
        let answer = answers.draw(grade: grade, handedOff: handedOff, random: &repRandom)
        pendingAnswer = PendingAnswer(answer: answer, handedOff: handedOff, due: due, grade: grade, queued: queued)
    }

    /// Acts on the pending answer, or its expiry, at its time.
    mutating func answerHandOff(
        lead: Lead, behaviour: PersonaBehaviour, personaIndex: Int, rep: Int, random: inout ProspectRandom,
        outcome: inout Outcome, stats: inout SimulationStats
    ) {
        guard let answers = repAnswers, let pending = pendingAnswer else { return }
        pendingAnswer = nil
        let now = pending.at
        let lifecycle = answers.lifecycle
        func apply(_ action: RepAction, outcome: inout Outcome) {
            if let to = answers.destination(of: action, from: state.stage), lifecycle.owner(of: to) == .marketing,
               !outcome.recycled {
                outcome.recycled = true
                stats.sla!.recycledLeads += 1
                if lifecycle.transitions.first(where: { $0.matches(action) && $0.starts(from: state.stage) })?.enroll != nil {
                    stats.sla!.reenrolledLeads += 1
                }
            }
            stats.engineSteps += 1
            engine.step(&state, lead: lead, input: .repAction(action), at: now, into: &effects,
                        keeping: Self.effectsActedOn)
            handleEffects(at: now, behaviour: behaviour, personaIndex: personaIndex, rep: rep, random: &random,
                          outcome: &outcome, stats: &stats)
        }

        if pending.expires {
            stats.sla!.expired += 1
            stats.sla!.answerDue += 1
            switch lifecycle.handOffExpiry {
            case .recordOnly:
                break
            case let .action(action):
                if lifecycle.problem(with: action, inStage: state.stage) == nil { apply(action, outcome: &outcome) }
            case .queue:
                // The queue's own hand-offs stay expired, as the scheduler leaves them.
                guard !pending.queued, lifecycle.defaultOwner != nil else { break }
                stats.sla!.requeued += 1
                stats.sla!.handOffs += 1
                stats.sla!.gradeHandOffs[pending.grade] += 1
                let due = lifecycle.serviceLevel(for: lifecycle.handoffStage)?.within
                    .deadline(from: now, businessHours: lifecycle.businessHours)
                wait(for: answers, grade: pending.grade, handedOff: now, due: due, queued: true)
            }
            return
        }

        let action = pending.answer.rejection.map { answers.rejections[$0] } ?? answers.accept
        let accepted = pending.answer.rejection == nil
        let stage = state.stage
        // As the hand-off desk: an answer the lifecycle refuses is not recorded, and the hand-off
        // stays open until it expires; an accept of a lead sales already owns is recorded in place.
        var moves = true
        if let problem = lifecycle.problem(with: action, inStage: stage) {
            guard accepted, case .notFromStage = problem, lifecycle.owner(of: stage) == .sales else {
                var unanswered = pending
                unanswered.answer.at = .distantFuture
                pendingAnswer = unanswered
                return
            }
            moves = false
        }
        if tracing { trace!.inputs.append((now, .repAction(action))) }
        stats.sla!.answerTenths[stats.sla!.bucket(seconds: now.timeIntervalSince(pending.handedOff))] += 1
        if let due = pending.due {
            stats.sla!.answerDue += 1
            if now <= due { stats.sla!.answeredInTime += 1 }
        }
        guard accepted else {
            stats.sla!.rejected += 1
            stats.sla!.gradeRejected[pending.grade] += 1
            stats.sla!.reasons[pending.answer.rejection!] += 1
            apply(action, outcome: &outcome)
            return
        }
        stats.sla!.accepted += 1
        stats.sla!.gradeAccepted[pending.grade] += 1
        // The first touch is due within the service level of the stage the acceptance leads to.
        let next = moves ? answers.destination(of: action, from: stage) : stage
        let touchDeadline = next.flatMap { lifecycle.serviceLevel(for: $0) }?.within
            .deadline(from: now, businessHours: lifecycle.businessHours)
        if moves { apply(action, outcome: &outcome) }
        let touch = answers.afterBusinessSeconds(pending.answer.touchSeconds, from: now)
        let touched = touch <= horizon
        if touched {
            stats.sla!.touched += 1
            stats.sla!.touchTenths[stats.sla!.bucket(seconds: touch.timeIntervalSince(pending.handedOff))] += 1
        }
        if let touchDeadline, touched || touchDeadline < horizon {
            stats.sla!.touchDue += 1
            if touched, touch <= touchDeadline { stats.sla!.touchedInTime += 1 }
        }
    }
}
