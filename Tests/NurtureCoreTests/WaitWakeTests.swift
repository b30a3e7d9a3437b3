import Foundation
import NurtureTestSupport
import Testing
@testable import NurtureCore

/// A wait followed by an email wakes the lead when the email may go (window and cap), not at the
/// end of the wait only to pause again, unless time alone could make a condition hold at that wake.
@Suite("Wait wakes")
struct WaitWakeTests {
    /// Weekdays 09:00-17:00 in New York; the wait from a Thursday ends on a Sunday.
    static func drip(thresholds: [Threshold] = []) -> NurtureSequence {
        sequence("drip", window: window(weekdays, "09:00-17:00", Zone.newYork), thresholds: thresholds, steps: [
            .email("first"), .wait("pause", "3d"), .email("second"), .wait("linger", "3d"),
        ])
    }

    /// The fixtures' scoring without its one negative non-suppressing rule (visiting `careers`).
    static var nonNegativeScoring: ScoringModel {
        var scoring = Fixtures.scoring()
        scoring.engagement[.pageVisit] = EngagementRule(points: 2, categories: ["pricing": 15])
        return scoring
    }

    /// Thursday 5 March 2026, 10:00 EST.
    let start = utc(2026, 3, 5, 15)
    /// Sunday 8 March 10:00 EDT, when the wait ends.
    let waitEnd = utc(2026, 3, 8, 14)
    /// Monday 9 March 09:00 EDT, when the window opens next.
    let opening = utc(2026, 3, 9, 13)

    func run(_ sequence: NurtureSequence, scoring: ScoringModel) -> Run {
        var run = Run(Fixtures.definitions([sequence], scoring: scoring), lead: Fixtures.lead(), at: start)
        run.replay([(start, .enroll(sequence: "drip"))], until: utc(2026, 3, 31))
        return run
    }

    @Test func theWaitWakesWhenTheEmailMayGo() {
        let run = run(Self.drip(), scoring: Self.nonNegativeScoring)
        #expect(run.entries[0].effects.wakes == [opening])
        #expect(run.sends.map(\.at) == [start, opening])
        #expect(run.entries.map(\.at) == [start, opening, utc(2026, 3, 12, 13)])
    }

    @Test func theSendsAreTheSameAsWithAWakeAtTheEndOfTheWait() {
        // A negative rule makes engagement able to rise with time, so the wait wakes at its end.
        let twoWakes = run(Self.drip(), scoring: Fixtures.scoring())
        #expect(twoWakes.entries[0].effects.wakes == [waitEnd])
        #expect(twoWakes.entries.map(\.at) == [start, waitEnd, opening, utc(2026, 3, 12, 13)])
        #expect(run(Self.drip(), scoring: Self.nonNegativeScoring).sends == twoWakes.sends)
    }

    @Test func aConditionTimeCanMakeTrueKeepsTheWakeAtTheEndOfTheWait() {
        let cooling = Threshold(condition: condition("engagement < 1"), action: .notifyRep("gone quiet"))
        let run = run(Self.drip(thresholds: [cooling]), scoring: Self.nonNegativeScoring)
        #expect(run.entries[0].effects.wakes == [waitEnd])
    }

    @Test func whichConditionsTimeCanMakeTrue() {
        for text in ["score >= 60 and fit in [A, B]", "engagement > 3 or clicked", "not score < 3", "fit_points < 3",
                     "stage == lead", "company_size >= 200"] {
            #expect(!condition(text).mayTurnTrueAsEngagementFalls, "\(text)")
        }
        for text in ["engagement < 1", "score <= 40 and fit in [A]", "not score >= 60", "score == 4", "score != 4"] {
            #expect(condition(text).mayTurnTrueAsEngagementFalls, "\(text)")
        }
    }

    @Test func whichDefinitionsTimeAloneCanFireNothingIn() {
        #expect(Fixtures.definitions([Self.drip()], scoring: Self.nonNegativeScoring).timeAloneFiresNothing)
        // Visiting `careers` takes points away without ending the enrollment.
        #expect(!Fixtures.definitions([Self.drip()]).timeAloneFiresNothing)
        // Without decay, nothing changes with time.
        #expect(Fixtures.definitions([Self.drip()], scoring: Fixtures.scoring(halfLife: nil)).timeAloneFiresNothing)
        // The lifecycle's own `score >= 80` move is fine; a score step taking points away is not.
        let penalty = sequence("penalty", steps: [.score("cool", -5, reason: "cooled"), .email("a")])
        #expect(!Fixtures.definitions([penalty], scoring: Self.nonNegativeScoring).timeAloneFiresNothing)
    }
}
