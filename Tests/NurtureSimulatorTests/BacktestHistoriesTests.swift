import Foundation
import NurtureCore
import NurtureSimulator
import Testing

/// Joining recorded facts to the leads they name, before a backtest replays them.
@Suite("Backtest histories")
struct BacktestHistoriesTests {
    let t0 = Date(timeIntervalSince1970: 1_772_445_600)

    @Test func factsJoinTheirLeadByIdOrEmailAndUnknownOnesAreReturnedWithTheirLine() {
        let leads = [
            Lead(id: "L-1", email: "ana@acme.example", attributes: [:]),
            Lead(id: "L-2", email: "bo@acme.example", attributes: [:]),
        ]
        let facts: [Backtest.RecordedFact] = [
            .init(reference: "L-1", line: 2, at: t0, kind: .event(EngagementEvent(.emailOpen))),
            .init(reference: "bo@acme.example", line: 3, at: t0, kind: .emailSent),
            .init(reference: "L-2", line: 4, at: t0.addingTimeInterval(7_200), kind: .handedOff),
            .init(reference: "L-2", line: 5, at: t0.addingTimeInterval(3_600), kind: .handedOff),
            .init(reference: "nobody@acme.example", line: 6, at: t0, kind: .emailSent),
            .init(reference: nil, line: 7, at: t0, kind: .event(EngagementEvent(.emailClick))),
        ]
        let (histories, unmatched) = Backtest.histories(leads: leads, facts: facts)
        #expect(histories.map(\.lead.id) == ["L-1", "L-2"], "in the leads' order")
        #expect(histories[0].events.map(\.event.kind) == [.emailOpen] && histories[0].recordedSends.isEmpty)
        #expect(histories[1].recordedSends == [t0])
        #expect(histories[1].recordedHandOff == t0.addingTimeInterval(3_600), "the earliest hand-off is the one compared")
        #expect(unmatched.map(\.line) == [6, 7])
    }
}
