import Foundation

extension EnginePass {
    /// Runs an enrollment's steps from its position until it pauses, blocks or ends.
    mutating func run(_ index: Int) {
        let sequenceID = state.enrollments[index].sequence
        guard let sequence = definitions.sequences[sequenceID] else { return end(index, .exited(.stalled)) }
        let clock = ZoneClock(lead.timeZone ?? sequence.sendWindow.timeZone)
        var budget = Engine.stepBudget

        while isDue(index) {
            if state.enrollments[index].awaiting {
                // A wait_for ran out of time: go on to the next step.
                state.enrollments[index].awaiting = false
                state.enrollments[index].wakeAt = nil
                advance(index, to: sequence.steps[state.enrollments[index].position].next, in: sequence)
                continue
            }
            state.enrollments[index].wakeAt = nil
            let position = state.enrollments[index].position
            guard position < sequence.steps.count else { return end(index, .completed) }
            budget -= 1
            guard budget > 0 else { return end(index, .exited(.stalled)) }

            let step = sequence.steps[position]
            switch step.kind {
            case let .email(template):
                if !state.enrollments[index].sentSteps.contains(position) {
                    let sendAt = earliestSend(for: sequence)
                    guard sendAt <= now else { return pause(index, until: sendAt, sequence: sequenceID) }
                    send(template: template, step: step, of: sequence, enrollment: index)
                }
                advance(index, to: step.next, in: sequence)
            case let .wait(span):
                advance(index, to: step.next, in: sequence, ending: false)
                pause(index, until: clock.adding(span, to: now), sequence: sequenceID)
            case let .waitFor(condition, upTo, onEvent):
                if condition.evaluate(facts) {
                    advance(index, to: onEvent, in: sequence)
                } else {
                    state.enrollments[index].awaiting = true
                    pause(index, until: clock.adding(upTo, to: now), sequence: sequenceID)
                }
            case let .branch(cases, otherwise):
                let snapshot = facts
                let target = cases.first { $0.condition.evaluate(snapshot) }?.goto ?? otherwise
                advance(index, to: target, in: sequence)
            case let .score(points, reason):
                adjustScore(by: points, reason: reason)
                advance(index, to: step.next, in: sequence)
                _ = checkThresholds(index)
            case let .repTask(title, due):
                effects.append(.task(rep, title: title, due: due.map { clock.adding($0, to: now) }, sequence: sequenceID))
                advance(index, to: step.next, in: sequence)
            case let .notifyRep(message):
                effects.append(.notifyRep(rep, message: message, sequence: sequenceID))
                advance(index, to: step.next, in: sequence)
            case let .handOff(reason):
                end(index, .handedOff)
                handOff(reason: reason, sequence: sequenceID)
            case .end:
                end(index, .completed)
            }
        }
    }

    /// Moves to a step, or ends the enrollment when there is none (unless a wait must run first).
    mutating func advance(_ index: Int, to next: Int?, in sequence: NurtureSequence, ending: Bool = true) {
        state.enrollments[index].position = next ?? sequence.steps.count
        if next == nil, ending { end(index, .completed) }
    }

    mutating func pause(_ index: Int, until instant: Date, sequence: String) {
        state.enrollments[index].wakeAt = instant
        effects.append(.wake(sequence: sequence, at: instant))
    }

    /// The first instant, now or later, that is inside the send window and under the frequency cap.
    func earliestSend(for sequence: NurtureSequence) -> Date {
        var candidate = now
        for _ in 0..<32 {
            candidate = sequence.sendWindow.nextOpening(atOrAfter: candidate, leadZone: lead.timeZone)
            guard let cap = sequence.frequencyCap, candidate != .distantFuture else { return candidate }
            let horizon = candidate.addingTimeInterval(-cap.per.nominalSeconds)
            let recent = state.recentSends.filter { $0 > horizon }
            guard recent.count >= cap.emails else { return candidate }
            // Wait until enough of the recent sends have aged out of the cap's period.
            candidate = recent[recent.count - cap.emails].addingTimeInterval(cap.per.nominalSeconds)
        }
        return candidate
    }

    mutating func send(template: String, step: Step, of sequence: NurtureSequence, enrollment index: Int) {
        let from: Rep? = switch sequence.sender {
        case let .fixed(rep): rep
        case .owner: rep
        }
        let replyTo: Rep? = switch sequence.replyTo {
        case let .fixed(rep)?: rep
        case .owner?: rep
        case nil: nil
        }
        effects.append(.send(Send(
            sequence: sequence.id, step: step.id, stepIndex: state.enrollments[index].position, template: template,
            from: from, replyTo: replyTo,
            enrolledAt: state.enrollments[index].enrolledAt, at: now)))
        state.enrollments[index].sentSteps.insert(state.enrollments[index].position)
        state.recentSends.append(now)
        if state.recentSends.count > engine.sendsToRemember {
            state.recentSends.removeFirst(state.recentSends.count - engine.sendsToRemember)
        }
    }

    /// Fires thresholds whose condition has become true during this enrollment, once each.
    mutating func checkThresholds(_ index: Int) -> Bool {
        guard let sequence = definitions.sequences[state.enrollments[index].sequence] else { return false }
        var fired = false
        for (number, threshold) in sequence.thresholds.enumerated()
        where state.enrollments[index].isActive && !state.enrollments[index].firedThresholds.contains(number) {
            guard threshold.condition.evaluate(facts) else { continue }
            state.enrollments[index].firedThresholds.insert(number)
            fired = true
            switch threshold.action {
            case let .notifyRep(message):
                effects.append(.notifyRep(rep, message: message, sequence: sequence.id))
            case let .handOff(reason):
                end(index, .handedOff)
                handOff(reason: reason, sequence: sequence.id)
            }
        }
        return fired
    }

    /// Ends a `wait_for` early when its condition has come true.
    mutating func checkAwaitedCondition(_ index: Int) -> Bool {
        let enrollment = state.enrollments[index]
        guard enrollment.awaiting, let sequence = definitions.sequences[enrollment.sequence],
              case let .waitFor(condition, _, onEvent) = sequence.steps[enrollment.position].kind,
              condition.evaluate(facts)
        else { return false }
        state.enrollments[index].awaiting = false
        state.enrollments[index].wakeAt = nil
        state.enrollments[index].position = onEvent
        return true
    }
}
