import Foundation
import NurtureCore
import NurturePersonas

/// The reps' side of a dry-run: for each hand-off, whether its rep accepts or rejects it, why,
/// and when, drawn from the population's `reps:` section (see docs/simulation-report.md). Times
/// are business hours of the lifecycle's `business_hours`, as the service levels count them.
/// A class, so that a run holds one reference rather than the lifecycle's many.
final class RepAnswers {
    /// One rep's answer to one hand-off, drawn when the hand-off is made.
    struct Answer: Equatable {
        /// Nil for an acceptance; otherwise the reason's index in the `reps:` section's reasons.
        var rejection: Int?
        /// When the rep answers, if nothing expires the hand-off first.
        var at: Date
        /// Business seconds from the acceptance to the first touch (drawn for rejections too, so
        /// that every answer takes the same draws from the stream).
        var touchSeconds: Double
    }

    let behaviour: RepBehaviour
    let lifecycle: Lifecycle
    let businessHours: SendWindow
    /// Acceptance probability by grade index (the scoring model's grades, then any other).
    let acceptance: [Double]
    let grades: [String]
    let accept = RepAction("accept")
    /// `reject(reason)` for each reason, by index.
    let rejections: [RepAction]
    /// The most business time a draw can add: a run's length. Business time passes no faster than
    /// elapsed time, so a longer delay lands past the run's end anyway, and the days added one by
    /// one stay as few as the run has (a lognormal's tail can draw years).
    let longestSeconds: Double

    init(_ behaviour: RepBehaviour, definitions: DefinitionSet, days: Int) {
        longestSeconds = Double(max(1, days)) * 86_400
        self.behaviour = behaviour
        lifecycle = definitions.lifecycle
        businessHours = definitions.lifecycle.businessHours
        grades = definitions.scoring.grades.map(\.name)
        let fallback = behaviour.defaultAcceptance ?? 0
        acceptance = grades.map { behaviour.acceptance(grade: $0) ?? fallback } + [fallback]
        rejections = behaviour.rejectionReasons.values.map { RepAction("reject", reason: $0) }
    }

    /// Throws when a run with `behaviour` could not stand for real reps: a grade the scoring model
    /// gives has no acceptance, or a rejection reason is one the hand-off desk would refuse.
    static func check(_ behaviour: RepBehaviour, against definitions: DefinitionSet) throws {
        if behaviour.defaultAcceptance == nil {
            let grades = definitions.scoring.grades.map(\.name)
            let missing = grades.filter { behaviour.acceptance[$0] == nil }
            if grades.isEmpty || !missing.isEmpty {
                let what = grades.isEmpty ? "the scoring model has no grades" : "it lists no grade \(missing.joined(separator: ", "))"
                throw Simulation.Failure(description: "reps: acceptance needs a default: \(what)")
            }
        }
        let lifecycle = definitions.lifecycle
        for reason in behaviour.rejectionReasons.values {
            if case let .unknownReason(_, _, known)? = lifecycle.problem(
                with: RepAction("reject", reason: reason), inStage: lifecycle.handoffStage) {
                throw Simulation.Failure(
                    description: "reps: rejection reason '\(reason)' is not one lifecycle.yml knows for reject; it knows \(known.joined(separator: ", "))")
            }
        }
    }

    /// Where `action` takes a lead in `stage`, by the lifecycle's first matching transition.
    func destination(of action: RepAction, from stage: String) -> String? {
        lifecycle.transitions.first { $0.matches(action) && $0.starts(from: stage) }?.to
    }

    /// The grade's index in `acceptance`: the scoring model's grades, then the bucket for others.
    func gradeIndex(_ grade: String) -> Int { grades.firstIndex(of: grade) ?? grades.count }

    /// The answer to a hand-off of grade index `grade` made at `handedOff`. Always four draws, so
    /// the stream stays aligned whatever the answer.
    func draw(grade: Int, handedOff: Date, random: inout ProspectRandom) -> Answer {
        let accepts = random.uniform() < acceptance[grade]
        let reason = behaviour.rejectionReasons.index(for: random.uniform())
        let answerSeconds = behaviour.timeToAnswer.seconds(z: random.normal())
        let touchSeconds = behaviour.timeToFirstTouch.seconds(z: random.normal())
        return Answer(
            rejection: accepts ? nil : reason, at: afterBusinessSeconds(answerSeconds, from: handedOff),
            touchSeconds: touchSeconds)
    }

    /// `start` plus `seconds` of business time.
    func afterBusinessSeconds(_ seconds: Double, from start: Date) -> Date {
        businessHours.adding(windowSeconds: Int(min(seconds, longestSeconds).rounded()), to: start, leadZone: nil)
    }
}
