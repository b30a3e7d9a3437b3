import Foundation

extension EnginePass {
    /// Runs an enrollment's steps from its position until it pauses, blocks or ends; `slot` holds
    /// its sequence. The steps and the sequence's id are read from the slot where they lie: local
    /// copies of them cost a retain and a release each on every call.
    ///
    /// For a due enrollment only, which the caller has just checked: the first step runs without
    /// asking again.
    mutating func run(_ index: Int, in slot: SequenceSlot) {
        let stepCount = slot.sequence.steps.count
        let clock = lead.clock ?? slot.windowClock
        var budget = Engine.stepBudget

        repeat {
            if state.enrollments[index].awaiting {
                // A wait_for ran out of time: go on to the next step.
                state.enrollments[index].awaiting = false
                state.enrollments[index].wakeAt = nil
                advance(index, to: slot.sequence.steps[state.enrollments[index].position].next, of: stepCount)
                continue
            }
            // Cleared only when set: a write checks that the array's storage is not shared, and
            // after the first step of a call there is nothing to clear.
            if state.enrollments[index].wakeAt != nil { state.enrollments[index].wakeAt = nil }
            let position = state.enrollments[index].position
            guard position < stepCount else { return end(index, .completed) }
            budget -= 1
            guard budget > 0 else { return end(index, .exited(.stalled)) }

            let next = slot.sequence.steps[position].next
            switch slot.sequence.steps[position].kind {
            case .email:
                if !state.enrollments[index].sent.contains(position) {
                    let sendAt = earliestSend(for: slot, clock: clock, from: now)
                    guard sendAt <= now else { return pause(index, until: sendAt, in: slot) }
                    send(position, of: slot, enrollment: index)
                }
                advance(index, to: next, of: stepCount)
            case let .wait(span):
                advance(index, to: next, of: stepCount, ending: false)
                let end = clock.adding(span, to: now)
                pause(index, until: wake(afterWaitEnding: end, for: index, in: slot, clock: clock), in: slot)
            case let .waitFor(_, upTo, onEvent):
                if slot.stepConditions[position][0].holds(self) {
                    advance(index, to: onEvent, of: stepCount)
                } else {
                    state.enrollments[index].awaiting = true
                    pause(index, until: clock.adding(upTo, to: now), in: slot)
                }
            case let .branch(cases, otherwise):
                let taken = slot.stepConditions[position].firstIndex { $0.holds(self) }
                let target = taken.map { cases[$0].goto } ?? otherwise
                advance(index, to: target, of: stepCount)
            case let .score(points, reason):
                adjustScore(by: points, reason: reason)
                // Thresholds first: a last step must not complete the enrollment before they fire.
                _ = checkThresholds(index, in: slot)
                advance(index, to: next, of: stepCount)
            case let .repTask(title, due):
                if wants(.task) {
                    let dueAt = due.map { lifecycle.taskDeadline($0, from: now) }
                    effects.append(.task(rep, title: title, due: dueAt, sequence: slot.sequence.id))
                }
                advance(index, to: next, of: stepCount)
            case let .notifyRep(message):
                if wants(.notifyRep) { effects.append(.notifyRep(rep, message: message, sequence: slot.sequence.id)) }
                advance(index, to: next, of: stepCount)
            case let .handOff(reason):
                end(index, .handedOff)
                handOff(reason: reason, sequence: slot.sequence.id)
            case .end:
                end(index, .completed)
            }
        } while isDue(index)
    }

    /// Moves to a step, or ends the enrollment when there is none (unless a wait must run first).
    mutating func advance(_ index: Int, to next: Int?, of stepCount: Int, ending: Bool = true) {
        state.enrollments[index].position = next ?? stepCount
        if next == nil, ending { end(index, .completed) }
    }

    mutating func pause(_ index: Int, until instant: Date, in slot: SequenceSlot) {
        state.enrollments[index].wakeAt = instant
        if wants(.wake) { effects.append(.wake(sequence: slot.sequence.id, at: instant)) }
    }

    /// When a wait ending at `end` wakes the enrollment at `index`, now at the step after the wait.
    ///
    /// When that step is an email not sent yet, a wake before the email may go would find it outside
    /// the send window or over the cap and pause again. Unless time alone could fire something at
    /// that wake (a threshold on decayed score, say), the wait pauses straight until the email may
    /// go. The email step checks the window and the cap again when it runs.
    func wake(afterWaitEnding end: Date, for index: Int, in slot: SequenceSlot, clock: ZoneClock) -> Date {
        let position = state.enrollments[index].position
        guard engine.rules.timeAloneFiresNothing, state.score.points >= 0, position < slot.sequence.steps.count,
              case .email = slot.sequence.steps[position].kind, !state.enrollments[index].sent.contains(position)
        else { return end }
        return earliestSend(for: slot, clock: clock, from: end)
    }

    /// The first instant, `start` or later, that is inside the send window and under the frequency
    /// cap as it stands now.
    func earliestSend(for slot: SequenceSlot, clock: ZoneClock, from start: Date) -> Date {
        let window = slot.sequence.sendWindow
        var candidate = start
        for _ in 0..<32 {
            candidate = window.nextOpening(atOrAfter: candidate, clock: clock)
            guard let cap = slot.sequence.frequencyCap, candidate != .distantFuture else { return candidate }
            let room = cap.nextRoom(at: candidate, recentSends: state.recentSends)
            if room == candidate { return candidate }
            candidate = room
        }
        return candidate
    }

    /// Sends the email step at `position`.
    mutating func send(_ position: Int, of slot: SequenceSlot, enrollment index: Int) {
        if wants(.send), let email = slot.emails[position] {
            effects.append(.send(Send(
                email: email, from: slot.sequence.sender.resolved(rep: rep),
                replyTo: slot.sequence.replyTo?.resolved(rep: rep), enrolledAt: state.enrollments[index].enrolledAt, at: now)))
        }
        state.enrollments[index].sent.insert(position)
        // Room for one more than is kept, once, rather than growing the array one send at a time.
        if state.recentSends.isEmpty { state.recentSends.reserveCapacity(engine.sendsToRemember + 1) }
        state.recentSends.append(now)
        // One at a time: one is over after each send, and removing a range goes through the general
        // range replacement, which costs more.
        while state.recentSends.count > engine.sendsToRemember { state.recentSends.removeFirst() }
    }

    /// Takes a send the relay never accepted out of those the frequency cap counts. The time is
    /// matched to the millisecond: it has been through the store and back.
    mutating func forgetSend(at sentAt: Date) {
        guard let index = state.recentSends.lastIndex(where: { abs($0.timeIntervalSince(sentAt)) < 0.001 }) else { return }
        state.recentSends.remove(at: index)
    }

    /// Fires thresholds whose condition has become true during this enrollment, once each.
    mutating func checkThresholds(_ index: Int, in slot: SequenceSlot) -> Bool {
        guard !thresholdsAreQuiet(index) else { return false }
        guard totalScore >= slot.thresholdScoreFloor else {
            markThresholdsQuiet(index)
            return false
        }
        var fired = false
        // The actions are read only when one fires: holding the thresholds while checking retained them.
        for number in slot.thresholdConditions.indices
        where isActive(index) && !state.enrollments[index].fired.contains(number) {
            guard slot.thresholdConditions[number].holds(self) else { continue }
            state.enrollments[index].fired.insert(number)
            fired = true
            switch slot.sequence.thresholds[number].action {
            case let .notifyRep(message):
                if wants(.notifyRep) { effects.append(.notifyRep(rep, message: message, sequence: slot.sequence.id)) }
            case let .handOff(reason):
                end(index, .handedOff)
                handOff(reason: reason, sequence: slot.sequence.id)
            }
        }
        if !fired { markThresholdsQuiet(index) }
        return fired
    }

    /// Ends a `wait_for` early when its condition has come true; for an enrollment inside one.
    mutating func checkAwaitedCondition(_ index: Int, in slot: SequenceSlot) -> Bool {
        let position = state.enrollments[index].position
        guard case let .waitFor(_, _, onEvent) = slot.sequence.steps[position].kind,
              slot.stepConditions[position][0].holds(self)
        else { return false }
        state.enrollments[index].awaiting = false
        state.enrollments[index].wakeAt = nil
        state.enrollments[index].position = onEvent
        return true
    }
}
