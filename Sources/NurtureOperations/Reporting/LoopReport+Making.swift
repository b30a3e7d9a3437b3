import Foundation
import NurtureCore
import NurtureStore

/// How the report is worked out from the store: each lead's touches and outcomes, then the groups.
extension LoopReport {
    /// Reads the period from the store and works the report out.
    public static func make(
        store: any LoopReportStore, lifecycle: Lifecycle, since: Date, until: Date, attribution: Attribution, now: Date
    ) throws -> LoopReport {
        let handOffs = try store.handOffs(HandOffFilter(since: since, until: until), now: now)
        // The report takes the ledger's totals per team, which do not depend on rep requests.
        let ledger = SLALedger(handOffs: handOffs, requests: [], lifecycle: lifecycle, since: since, until: until, now: now)
        let actions = try store.repActions(since: since, until: until)
        var touches: [String: [LeadHistory.Moment]] = [:]
        try store.forEachLead { lead, _ in
            let moments = try store.history(of: lead.id, upTo: until).moments.filter { $0.at >= since && isTouch($0.event) }
            if !moments.isEmpty { touches[lead.id] = moments }
        }
        return LoopReport(
            touches: touches, handOffs: handOffs, actions: actions, ledger: ledger, lifecycle: lifecycle, since: since, until: until,
            attribution: attribution)
    }

    /// The kinds of event a person makes when engaging; bounces, complaints and unsubscribes are not.
    static let humanKinds: Set<EngagementEvent.Kind> = [.emailOpen, .emailClick, .reply, .pageVisit, .formFill, .meetingBooked]

    /// Human engagement only: an event the tracking system marked as a machine's never counts.
    static func isTouch(_ event: EngagementEvent) -> Bool { humanKinds.contains(event.kind) && !EngagementSummary.isMachine(event) }

    /// The groups a touch names in each dimension.
    static func keys(of event: EngagementEvent) -> [(dimension: String, name: String)] {
        var keys: [(dimension: String, name: String)] = []
        if let sequence = event.sequence { keys.append(("sequence", sequence)) }
        if let step = event.step, [.emailOpen, .emailClick, .reply].contains(event.kind) {
            keys.append(("email", event.sequence.map { "\($0)/\(step)" } ?? step))
        }
        if let category = event.category { keys.append(("content", category)) }
        return keys
    }

    /// One lead's part in the report.
    struct Trail {
        /// Group keys in time order, one entry per touch, per dimension.
        var touches: [String: [String]] = [:]
        var handedOff = false
        var accepted = false
        var qualified = false
        var won = false
        var revenue: [DealValue] = []

        func met(_ dimension: String, _ name: String) -> Bool { touches[dimension]?.contains(name) ?? false }
    }

    /// Works the report out from the period's touches (human ones, by lead), hand-offs and actions.
    public init(
        touches: [String: [LeadHistory.Moment]], handOffs: [HandOffRecord], actions: [RepActionRecord], ledger: SLALedger,
        lifecycle: Lifecycle, since: Date, until: Date, attribution: Attribution
    ) {
        self.since = since
        self.until = until
        self.attribution = attribution
        minimumGroup = Self.minimumGroup
        serviceLevels = ServiceLevels(marketing: ledger.marketing, reps: ledger.reps)
        sharedNumber = Self.sharedNumber(handOffs: handOffs, actions: actions, goal: lifecycle.goal, since: since, until: until)

        let handOffsByLead = Dictionary(grouping: handOffs, by: \.leadID)
        let actionsByLead = Dictionary(grouping: actions, by: \.leadID)
        var trails: [String: Trail] = [:]
        for (leadID, moments) in touches {
            let leadHandOffs = handOffsByLead[leadID] ?? []
            let leadActions = (actionsByLead[leadID] ?? []).filter { action in leadHandOffs.first.map { action.at >= $0.at } ?? false }
            let wins = leadActions.filter { $0.parsed?.verb == "won" }
            let cutoff = wins.first.flatMap { win in leadHandOffs.last { $0.at <= win.at }?.at } ?? leadHandOffs.last?.at ?? until
            var trail = Trail()
            for moment in moments.sorted(by: { $0.at < $1.at }) where moment.at < cutoff {
                for key in Self.keys(of: moment.event) { trail.touches[key.dimension, default: []].append(key.name) }
            }
            guard !trail.touches.isEmpty else { continue }
            trail.handedOff = !leadHandOffs.isEmpty
            trail.accepted = leadHandOffs.contains { $0.status == .accepted }
            trail.qualified = leadActions.contains { $0.parsed?.verb == "qualify" }
            trail.won = !wins.isEmpty
            trail.revenue = wins.compactMap(\.value)
            trails[leadID] = trail
        }
        nurtured = trails.count
        groups = Self.groups(trails: Array(trails.values), attribution: attribution)
        (rejectionsBySequence, rejectionsByGrade) = Self.reasons(handOffs: handOffs, actions: actions)
    }

    static func sharedNumber(handOffs: [HandOffRecord], actions: [RepActionRecord], goal: SharedGoal?, since: Date, until: Date) -> SharedNumber {
        let qualified = actions.filter { $0.parsed?.verb == "qualify" }
        let won = actions.filter { $0.parsed?.verb == "won" }
        let accepted = handOffs.filter { $0.status == .accepted }.count
        let pipeline = totals(qualified.compactMap(\.value))
        let revenue = totals(won.compactMap(\.value))
        var shared = SharedNumber(
            goal: nil, handedOff: handOffs.count, accepted: accepted, pipeline: pipeline, revenue: revenue, qualified: qualified.count,
            won: won.count, wonWithoutValue: won.filter { $0.value == nil }.count)
        if let goal {
            let target = Decimal(goal.scaled(from: since, to: until)) / 100
            let actual: Decimal = switch goal.metric {
            case .accepted: Decimal(accepted)
            case .pipeline: pipeline.first { $0.currency == goal.currency }?.amount ?? 0
            case .revenue: revenue.first { $0.currency == goal.currency }?.amount ?? 0
            }
            let share = target > 0 ? NSDecimalNumber(decimal: actual / target).doubleValue : nil
            shared.goal = Goal(metric: goal.metric.rawValue, per: goal.per.rawValue, currency: goal.currency, target: target, actual: actual, share: share)
        }
        return shared
    }

    /// Sums by currency, in currency order.
    static func totals(_ values: [DealValue]) -> [Money] {
        var sums: [String: Int64] = [:]
        for value in values { sums[value.currency, default: 0] += value.hundredths }
        return sums.keys.sorted().map { Money(currency: $0, hundredths: sums[$0]!) }
    }

    /// Each group's counts, rates, lifts and credited revenue; ranked within its dimension.
    static func groups(trails: [Trail], attribution: Attribution) -> [Group] {
        var credit: [String: [String: [String: Int64]]] = [:]
        for trail in trails {
            for value in trail.revenue {
                for (dimension, keys) in trail.touches {
                    for (name, share) in split(value.hundredths, over: keys, attribution: attribution) {
                        credit[dimension, default: [:]][name, default: [:]][value.currency, default: 0] += share
                    }
                }
            }
        }
        var groups: [Group] = []
        for dimension in ["sequence", "email", "content"] {
            let names = Set(trails.flatMap { $0.touches[dimension] ?? [] })
            var list: [Group] = names.map { name in
                let met = trails.filter { $0.met(dimension, name) }, other = trails.filter { !$0.met(dimension, name) }
                func count(_ list: [Trail], _ outcome: KeyPath<Trail, Bool>) -> Int { list.filter { $0[keyPath: outcome] }.count }
                let handedOff = count(met, \.handedOff), accepted = count(met, \.accepted), won = count(met, \.won)
                let wonRate = Rate(won, of: met.count), acceptedRate = Rate(accepted, of: handedOff)
                let otherWon = Rate(count(other, \.won), of: other.count), otherAccepted = Rate(count(other, \.accepted), of: count(other, \.handedOff))
                let sums = credit[dimension]?[name] ?? [:]
                return Group(
                    dimension: dimension, name: name, met: met.count, handedOff: handedOff, accepted: accepted,
                    qualified: count(met, \.qualified), won: won,
                    revenue: sums.keys.sorted().map { Money(currency: $0, hundredths: sums[$0]!) },
                    handedOffRate: Rate(handedOff, of: met.count), acceptedRate: acceptedRate, wonRate: wonRate,
                    wonLift: lift(wonRate, over: otherWon), acceptedLift: lift(acceptedRate, over: otherAccepted),
                    small: met.count < minimumGroup, rank: nil)
            }
            list.sort { a, b in
                if a.small != b.small { return !a.small }
                let left = (a.wonRate.rate ?? 0, a.acceptedRate.rate ?? 0, a.met), right = (b.wonRate.rate ?? 0, b.acceptedRate.rate ?? 0, b.met)
                return left != right ? left > right : a.name < b.name
            }
            var rank = 0
            for index in list.indices where !list[index].small {
                rank += 1
                list[index].rank = rank
            }
            groups += list
        }
        return groups
    }

    /// A rate over the rate of the others; nil when either is unknown or the others' is 0.
    static func lift(_ rate: Rate, over baseline: Rate) -> Double? {
        guard let value = rate.rate, let base = baseline.rate, base > 0 else { return nil }
        return value / base
    }

    /// A value in hundredths credited to touches (group names in time order) by the rule.
    static func split(_ hundredths: Int64, over keys: [String], attribution: Attribution) -> [(String, Int64)] {
        guard let first = keys.first, let last = keys.last else { return [] }
        switch attribution {
        case .first: return [(first, hundredths)]
        case .last: return [(last, hundredths)]
        case .linear:
            let count = Int64(keys.count), share = hundredths / count, left = hundredths % count
            return keys.enumerated().map { index, key in (key, share + (Int64(index) < left ? 1 : 0)) }
        }
    }

    /// Rejections (the hand-off's answer) and disqualifications (the action's reason, under the
    /// lead's latest hand-off before it), by sequence and by fit grade.
    static func reasons(handOffs: [HandOffRecord], actions: [RepActionRecord]) -> (bySequence: [Reasons], byGrade: [Reasons]) {
        let handOffsByLead = Dictionary(grouping: handOffs, by: \.leadID)
        var rejected: [(HandOffRecord, String)] = []
        for record in handOffs where record.status == .rejected {
            let answer = record.answer.flatMap(RepAction.init(parsing:))
            rejected.append((record, answer?.reason ?? "no reason"))
        }
        var disqualified: [(HandOffRecord?, String)] = []
        for action in actions {
            guard let parsed = action.parsed, parsed.verb == "disqualify" else { continue }
            disqualified.append((handOffsByLead[action.leadID]?.last { $0.at <= action.at }, parsed.reason ?? "no reason"))
        }
        func table(_ key: (HandOffRecord?) -> String) -> [Reasons] {
            let keys = Set(handOffs.map { key($0) } + rejected.map { key($0.0) } + disqualified.map { key($0.0) })
            func counts(_ reasons: [String]) -> [Reasons.Count] {
                Dictionary(grouping: reasons) { $0 }.map { Reasons.Count(reason: $0.key, count: $0.value.count) }
                    .sorted { ($1.count, $0.reason) < ($0.count, $1.reason) }
            }
            return keys.sorted().map { name in
                Reasons(
                    key: name, handedOff: handOffs.filter { key($0) == name }.count,
                    rejected: counts(rejected.filter { key($0.0) == name }.map(\.1)),
                    disqualified: counts(disqualified.filter { key($0.0) == name }.map(\.1)))
            }
        }
        return (table { $0.map { $0.sequence ?? "(no sequence)" } ?? "(no hand-off in the period)" },
                table { $0?.grade ?? "(no hand-off in the period)" })
    }
}
