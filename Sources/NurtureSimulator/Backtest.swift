import Foundation
import NurtureBasics
import NurtureCore

/// Replays recorded behaviour through a new or changed sequence: what it would have sent, and when
/// it would have handed each lead off, against what really happened.
///
/// The recorded events are fed at their recorded times. They were reactions to the emails of the
/// time, so this answers "given how these people behaved, what would this sequence have done",
/// which is the question before changing a live sequence.
public struct Backtest: Codable, Sendable {
    /// One recorded lead: who, what they did, and what the program of the time did.
    public struct History: Sendable {
        public var lead: Lead
        public var events: [(at: Date, event: EngagementEvent)]
        public var recordedSends: [Date]
        public var recordedHandOff: Date?

        public init(lead: Lead, events: [(at: Date, event: EngagementEvent)], recordedSends: [Date], recordedHandOff: Date?) {
            self.lead = lead
            self.events = events
            self.recordedSends = recordedSends
            self.recordedHandOff = recordedHandOff
        }

        /// When the lead entered: its first recorded send, else its first event.
        var start: Date? { recordedSends.min() ?? events.map(\.at).min() }
    }

    public struct LeadResult: Codable, Sendable {
        public var lead: String
        public var enrolled: String
        public var recordedSends: Int
        public var wouldSend: Int
        public var recordedHandOff: String?
        public var wouldHandOff: String?
        public var wouldHandOffReason: String?
        /// Days between the two hand-offs (positive: the new sequence hands off later).
        public var handOffShiftDays: Double?
        /// The highest score the lead reached under the sequence, rounded down to a tenth (so it
        /// never shows a bar reached that was not), and its fit grade: for a lead the sequence
        /// would not hand off, how far it stayed from the bar, and whether fit alone kept it there.
        public var peakScore: Double
        public var grade: String

        /// "peaked at 56.2, fit B", as the text and the page say it.
        var peakText: String {
            let peak = "peaked at " + String(format: "%.1f", peakScore)
            return grade.isEmpty ? peak : "\(peak), fit \(grade)"
        }
    }

    public var sequence: String
    /// How many days each lead was followed.
    public var days: Int
    /// The time every lead entered at, when one was given; otherwise each entered at its first
    /// recorded send (or, without one, its first event).
    public var start: String?
    public var leads: Int
    public var recordedSends: Int
    public var wouldSend: Int
    public var recordedHandOffs: Int
    public var wouldHandOffs: Int
    public var handedOffByBoth: Int
    public var onlyRecorded: Int
    public var onlyWould: Int
    public var medianDaysToHandOffRecorded: Double?
    public var medianDaysToHandOffWould: Double?
    public var results: [LeadResult]

    public static func run(
        definitions: DefinitionSet, sequence: String, histories: [History], start: Date? = nil, days: Int
    ) -> Backtest {
        let engine = Engine(definitions.assumingCompleteLeads)
        let replay = Replay(engine: engine)
        let formatter = ISO8601DateFormatter()
        var results: [LeadResult] = []
        var recordedDays: [Double] = [], wouldDays: [Double] = []
        var totals = (recordedSends: 0, wouldSend: 0, recordedHandOffs: 0, wouldHandOffs: 0, both: 0, onlyRecorded: 0, onlyWould: 0)

        for history in histories {
            guard let enrolled = start ?? history.start else { continue }
            var state = engine.start(history.lead, at: enrolled)
            let inputs = [(at: enrolled, input: Input.enroll(sequence: sequence))]
                + history.events.map { (at: $0.at, input: Input.event($0.event)) }
            let entries = replay.run(
                lead: history.lead, state: &state, inputs: inputs, until: enrolled.addingTimeInterval(Double(days) * 86_400))
            let effects = entries.flatMap(\.effects)
            let sends = effects.filter { if case .send = $0 { true } else { false } }.count
            let handOff = effects.lazy.compactMap { if case let .handOff(handOff) = $0 { handOff } else { nil } }.first
            let peak = entries.lazy.map(\.score).max() ?? state.fitPoints

            totals.recordedSends += history.recordedSends.count
            totals.wouldSend += sends
            if history.recordedHandOff != nil { totals.recordedHandOffs += 1 }
            if handOff != nil { totals.wouldHandOffs += 1 }
            switch (history.recordedHandOff, handOff) {
            case (.some, .some): totals.both += 1
            case (.some, nil): totals.onlyRecorded += 1
            case (nil, .some): totals.onlyWould += 1
            case (nil, nil): break
            }
            if let recorded = history.recordedHandOff { recordedDays.append(recorded.timeIntervalSince(enrolled) / 86_400) }
            if let handOff { wouldDays.append(handOff.at.timeIntervalSince(enrolled) / 86_400) }
            results.append(LeadResult(
                lead: history.lead.id, enrolled: formatter.string(from: enrolled), recordedSends: history.recordedSends.count,
                wouldSend: sends, recordedHandOff: history.recordedHandOff.map(formatter.string),
                wouldHandOff: handOff.map { formatter.string(from: $0.at) }, wouldHandOffReason: handOff?.reason,
                handOffShiftDays: zip2(handOff?.at, history.recordedHandOff).map { $0.timeIntervalSince($1) / 86_400 },
                peakScore: (peak * 10).rounded(.down) / 10, grade: state.grade))
        }
        return Backtest(
            sequence: sequence, days: days, start: start.map(formatter.string), leads: results.count, recordedSends: totals.recordedSends, wouldSend: totals.wouldSend,
            recordedHandOffs: totals.recordedHandOffs, wouldHandOffs: totals.wouldHandOffs, handedOffByBoth: totals.both,
            onlyRecorded: totals.onlyRecorded, onlyWould: totals.onlyWould,
            medianDaysToHandOffRecorded: median(recordedDays), medianDaysToHandOffWould: median(wouldDays), results: results)
    }

    static func zip2<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
        guard let a, let b else { return nil }
        return (a, b)
    }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    public var text: String {
        func days(_ value: Double?) -> String { value.map { String(format: "%.1f days", $0) } ?? "-" }
        var out = [
            "Backtest of \(sequence) on \(Figures.count(leads)) recorded leads",
            "",
            Figures.pad("", 28) + Figures.pad("recorded", 12, right: true) + Figures.pad("would be", 12, right: true),
            Figures.pad("emails sent", 28) + Figures.pad(Figures.count(recordedSends), 12, right: true) + Figures.pad(Figures.count(wouldSend), 12, right: true),
            Figures.pad("hand-offs", 28) + Figures.pad(Figures.count(recordedHandOffs), 12, right: true) + Figures.pad(Figures.count(wouldHandOffs), 12, right: true),
            Figures.pad("median time to hand-off", 28) + Figures.pad(days(medianDaysToHandOffRecorded), 12, right: true)
                + Figures.pad(days(medianDaysToHandOffWould), 12, right: true),
            "",
            "Handed off by both: \(handedOffByBoth); only then: \(onlyRecorded); only with \(sequence): \(onlyWould)",
        ]
        if handedOffByBoth > 0 {
            let moves = handOffMoves
            out.append("Of those handed off by both, \(sequence) would hand off \(moves.sooner) sooner, \(moves.later) later "
                       + "and \(moves.same) within the hour")
        }
        let changed = results.filter { ($0.recordedHandOff == nil) != ($0.wouldHandOff == nil) || abs($0.handOffShiftDays ?? 0) >= 1 }
        if !changed.isEmpty {
            out.append("")
            out.append("Leads whose hand-off would change:")
            for result in changed {
                let recorded = result.recordedHandOff ?? "never"
                let would = result.wouldHandOff.map { "\($0) (\(result.wouldHandOffReason ?? ""))" } ?? "never (\(result.peakText))"
                out.append("  \(result.lead): recorded \(recorded), would be \(would)")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}
