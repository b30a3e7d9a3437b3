import Foundation
import NurtureCore
import NurtureStore

/// The closed-loop report for a period, for the weekly meeting of marketing and sales: the shared
/// number against its goal, both teams' service levels, what preceded accepted and won deals, and
/// why sales turned leads down.
///
/// The rules (also in docs/loop-report.md):
/// - A *touch* is a human engagement event in the period (an email open, click or reply, a page
///   visit, a form fill, a meeting booked). An event of category `machine` is never a touch.
/// - A lead *met* a sequence, an email step or a content category when one of its touches names
///   it, before its *cut-off*: the last hand-off in the period before its first win, or its last
///   hand-off in the period when it was not won, or the end of the period when it was not handed off.
/// - Each lead counts once per group, however often it was handed off. Its outcomes are those in
///   the period: handed off, accepted (any of its hand-offs), qualified and won after its first
///   hand-off in the period; its revenue is the value of those wins.
/// - Attribution decides which groups its revenue is credited to, in each dimension separately:
///   `first` the first touch, `last` the last touch before the cut-off, `linear` every touch in
///   equal shares (to the hundredth; what does not divide goes to the earliest touches).
public struct LoopReport: Sendable, Codable {
    public enum Attribution: String, Sendable, Codable, CaseIterable {
        case first, last, linear
    }

    /// Groups with fewer leads than this are flagged and not ranked: their rates say little.
    public static let minimumGroup = 20

    /// An amount in one currency, exact to the hundredth.
    public struct Money: Sendable, Codable, Hashable {
        public var currency: String
        public var amount: Decimal

        init(currency: String, hundredths: Int64) {
            self.currency = currency
            amount = Decimal(hundredths) / 100
        }
    }

    /// A count out of a total with its 95% Wilson score interval.
    public struct Rate: Sendable, Codable, Hashable {
        public var count: Int
        public var total: Int
        public var rate: Double?
        public var low: Double?
        public var high: Double?

        init(_ count: Int, of total: Int) {
            self.count = count
            self.total = total
            guard total > 0 else { return }
            let z = 1.959964, n = Double(total), p = Double(count) / n
            let denominator = 1 + z * z / n
            let centre = (p + z * z / (2 * n)) / denominator
            let half = z * (p * (1 - p) / n + z * z / (4 * n * n)).squareRoot() / denominator
            rate = p
            low = max(0, centre - half)
            high = min(1, centre + half)
        }
    }

    /// The number both teams signed up to, and what the period made of it.
    public struct Goal: Sendable, Codable {
        public var metric: String
        public var per: String
        public var currency: String?
        /// The goal scaled to the report's period.
        public var target: Decimal
        public var actual: Decimal
        public var share: Double?
    }

    public struct SharedNumber: Sendable, Codable {
        public var goal: Goal?
        public var handedOff: Int
        public var accepted: Int
        /// The values of the qualify actions in the period, by currency.
        public var pipeline: [Money]
        /// The values of the won actions in the period, by currency.
        public var revenue: [Money]
        public var qualified: Int
        public var won: Int
        /// Won actions recorded without a value.
        public var wonWithoutValue: Int
    }

    /// Both teams' promises from the SLA ledger: its totals, not its lists of leads, so the
    /// report names no prospect.
    public struct ServiceLevels: Sendable, Codable {
        public var marketing: SLALedger.Marketing
        public var reps: [SLALedger.Rep]
    }

    /// One sequence, email step or content category, and what became of the leads that met it.
    public struct Group: Sendable, Codable {
        /// `sequence`, `email` or `content`.
        public var dimension: String
        public var name: String
        public var met: Int
        public var handedOff: Int
        public var accepted: Int
        public var qualified: Int
        public var won: Int
        /// Revenue credited to the group under the report's attribution.
        public var revenue: [Money]
        /// Handed off, of those that met it.
        public var handedOffRate: Rate
        /// Accepted, of those handed off.
        public var acceptedRate: Rate
        /// Won, of those that met it.
        public var wonRate: Rate
        /// The won rate over that of the period's nurtured leads that did not meet it.
        public var wonLift: Double?
        /// The accepted rate over that of the handed-off leads that did not meet it.
        public var acceptedLift: Double?
        /// Fewer than `minimumGroup` leads: shown, not ranked.
        public var small: Bool
        /// 1 for the best won rate (then accepted rate) among groups that are not small.
        public var rank: Int?
    }

    /// Why sales turned leads down, for one sequence or one fit grade.
    public struct Reasons: Sendable, Codable {
        public struct Count: Sendable, Codable, Hashable {
            public var reason: String
            public var count: Int
        }

        public var key: String
        public var handedOff: Int
        public var rejected: [Count]
        public var disqualified: [Count]
    }

    public var since: Date
    public var until: Date
    public var attribution: Attribution
    public var minimumGroup: Int
    public var sharedNumber: SharedNumber
    public var serviceLevels: ServiceLevels
    /// Leads that met at least one group.
    public var nurtured: Int
    public var groups: [Group]
    public var rejectionsBySequence: [Reasons]
    public var rejectionsByGrade: [Reasons]
}
