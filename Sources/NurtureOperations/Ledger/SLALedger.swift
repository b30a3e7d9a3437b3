import Foundation
import NurtureCore
import NurtureStore

/// The two-way service-level ledger for a period: what marketing delivered against its promise,
/// how quickly each rep answered and followed up against theirs, and what came of rep requests.
///
/// Definitions (also in docs/sales-loop.md): a hand-off is *answered in time* when accepted or
/// rejected by its due time; one that expired was not. A *touch in time* is a first touch by the
/// deadline set when it was accepted. A request is *used* when the rep accepted the hand-back and
/// touched it in time, *late* when the touch came after, *unused* when the hand-back was rejected or
/// expired or the request ran past its end date, *abandoned* when the rep cancelled it.
public struct SLALedger: Sendable, Codable {
    public struct Marketing: Sendable, Codable {
        public var delivered: Int
        /// The agreed volume scaled to the period, when the lifecycle names one.
        public var goal: Int?
        public var accepted: Int
        public var rejected: Int
        /// Accepted among answered.
        public var acceptedShare: Double?
        /// Grade A or B among delivered.
        public var gradeABShare: Double?
    }

    public struct Rep: Sendable, Codable {
        public var rep: String
        public var handOffs: Int
        public var accepted: Int
        public var rejected: Int
        public var expired: Int
        public var open: Int
        public var acceptanceRate: Double?
        public var hoursToAnswerMedian: Double?
        public var hoursToAnswerP90: Double?
        public var hoursToTouchMedian: Double?
        public var hoursToTouchP90: Double?
        /// Answered by the due time, among those due (answered or expired).
        public var answeredInTimeShare: Double?
        /// Touched by the touch deadline, among accepted ones whose deadline has passed or that were touched.
        public var touchedInTimeShare: Double?
    }

    public struct Requests: Sendable, Codable {
        public var rep: String
        public var requested: Int
        public var open: Int
        public var used: Int
        public var late: Int
        public var unused: Int
        public var abandoned: Int
    }

    /// One promise broken, to talk about in the weekly meeting.
    public struct Breach: Sendable, Codable {
        public var handOff: Int64
        public var lead: String
        public var rep: String
        public var promise: String
        public var due: Date
        /// When it was kept after all, if it was.
        public var keptAt: Date?
    }

    public var since: Date
    public var until: Date
    public var definitionsVersion: Int
    public var marketing: Marketing
    public var reps: [Rep]
    public var requests: [Requests]
    public var breaches: [Breach]

    public init(handOffs: [HandOffRecord], requests: [NurtureRequest], lifecycle: Lifecycle, since: Date, until: Date, now: Date) {
        self.since = since
        self.until = until
        definitionsVersion = lifecycle.version
        let accepted = handOffs.filter { $0.status == .accepted }.count
        let rejected = handOffs.filter { $0.status == .rejected }.count
        var goal: Int?
        if let volume = lifecycle.volumeGoal {
            let days = until.timeIntervalSince(since) / 86_400
            goal = Int((Double(volume.handOffs) * days / (volume.per == .week ? 7 : 30.4375)).rounded())
        }
        marketing = Marketing(
            delivered: handOffs.count, goal: goal, accepted: accepted, rejected: rejected,
            acceptedShare: Self.share(accepted, of: accepted + rejected),
            gradeABShare: Self.share(handOffs.filter { ["A", "B"].contains($0.grade) }.count, of: handOffs.count))

        var breaches: [Breach] = []
        let byRep = Dictionary(grouping: handOffs) { $0.repEmail ?? "(unassigned)" }
        reps = byRep.keys.sorted().map { email in
            let records = byRep[email]!
            let answered = records.filter { $0.answeredAt != nil }
            let accepted = records.filter { $0.status == .accepted }
            let answerHours = answered.compactMap { record in record.answeredAt.map { $0.timeIntervalSince(record.at) / 3600 } }
            let touchHours = accepted.compactMap { record in record.touchedAt.map { $0.timeIntervalSince(record.at) / 3600 } }
            let due = records.filter { $0.due != nil && ($0.answeredAt != nil || $0.status == .expired) }
            let answeredInTime = due.filter { record in record.answeredAt.map { $0 <= record.due! } ?? false }
            let touchDue = accepted.filter { $0.touchDue != nil && ($0.touchedAt != nil || $0.touchDue! < now) }
            let touchedInTime = touchDue.filter { record in record.touchedAt.map { $0 <= record.touchDue! } ?? false }
            for record in due where !answeredInTime.contains(record) {
                breaches.append(Breach(handOff: record.id, lead: record.leadEmail, rep: email, promise: "answer the hand-off",
                                       due: record.due!, keptAt: record.answeredAt))
            }
            for record in touchDue where !touchedInTime.contains(record) {
                breaches.append(Breach(handOff: record.id, lead: record.leadEmail, rep: email, promise: "first touch",
                                       due: record.touchDue!, keptAt: record.touchedAt))
            }
            return Rep(
                rep: email, handOffs: records.count, accepted: accepted.count, rejected: records.filter { $0.status == .rejected }.count,
                expired: records.filter { $0.status == .expired }.count, open: records.filter { $0.status == .open }.count,
                acceptanceRate: Self.share(accepted.count, of: answered.count),
                hoursToAnswerMedian: Self.quantile(answerHours, 0.5), hoursToAnswerP90: Self.quantile(answerHours, 0.9),
                hoursToTouchMedian: Self.quantile(touchHours, 0.5), hoursToTouchP90: Self.quantile(touchHours, 0.9),
                answeredInTimeShare: Self.share(answeredInTime.count, of: due.count),
                touchedInTimeShare: Self.share(touchedInTime.count, of: touchDue.count))
        }
        self.breaches = breaches.sorted { ($0.due, $0.handOff) < ($1.due, $1.handOff) }
        let requestsByRep = Dictionary(grouping: requests, by: \.repEmail)
        self.requests = requestsByRep.keys.sorted().map { email in
            let list = requestsByRep[email]!
            func count(_ statuses: NurtureRequest.Status...) -> Int { list.filter { statuses.contains($0.status) }.count }
            return Requests(
                rep: email, requested: list.count, open: count(.open, .handedBack), used: count(.used), late: count(.late),
                unused: count(.unused), abandoned: count(.abandoned))
        }
    }

    static func share(_ part: Int, of whole: Int) -> Double? { whole == 0 ? nil : Double(part) / Double(whole) }

    /// The nearest-rank quantile.
    static func quantile(_ values: [Double], _ q: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((q * Double(sorted.count)).rounded(.up))
        return sorted[max(0, min(sorted.count - 1, rank - 1))]
    }
}
