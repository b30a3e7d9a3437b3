import Foundation

/// Maximum likelihood for a mixture of personas over recorded leads, by expectation-maximisation.
///
/// Each lead belongs to one persona, unknown. Given the persona, each delivered email is opened by a person with chance `open × fatigue^streak`; each
/// opened email is clicked, replied to and unsubscribed from, each with its own chance; open delays
/// and reaction delays are log-normal; page visits come as a Poisson process over the days the lead
/// was watched; clicks and visits fall into categories by the persona's shares. Everything that
/// decides when a sequence stops sending (opens, clicks and their links, replies, visits) is in the
/// likelihood, so the number of emails a lead got says nothing more about its persona. Machine opens are not in the likelihood, and neither are
/// bounces: a lead whose only email bounced shows nothing of who it is (see `BounceSplit`), so the
/// mixture is fitted to the leads with at least one delivered email. The E-step weighs
/// each lead by how likely each persona makes its history; the M-step sets every parameter to its
/// weighted maximum (closed form, and for the open rate under fatigue the root of a decreasing
/// derivative). Each iteration never lowers the log-likelihood, which `logLikelihoods` records.
public enum MixtureFit {
    public struct Result: Sendable {
        public var personas: [PersonaRates]
        /// The log-likelihood before each M-step: never decreasing.
        public var logLikelihoods: [Double]
        public var converged: Bool
        /// Per persona: the leads it explains (sum of weights), their delivered emails and human opens.
        /// Shares here are of the leads with a delivered email, before `BounceSplit`.
        public var leads: [Double]
        public var delivered: [Double]
        public var opened: [Double]
        public var openDelays: [Double]
        public var reactionDelays: [Double]
        public var totalLeads: Int
    }

    /// Chances are kept this far from 0 and 1 inside logarithms.
    static let epsilon = 1e-9
    static let spreadRange = 0.05...5.0

    /// The leads' evidence laid out flat, so an iteration walks arrays instead of dictionaries.
    struct Data {
        /// Per lead, its non-empty streak slots in `slotRange[i]`.
        var slotStart: [Int] = [0]
        var slot: [Int] = []
        var slotOpened: [Double] = []
        var slotMissed: [Double] = []
        var opened: [Double] = []
        var delivered: [Double] = []
        var clicked: [Double] = []
        var replied: [Double] = []
        var unsubscribed: [Double] = []
        var openDelay: [LeadEvidence.LogSums] = []
        var reactionDelay: [LeadEvidence.LogSums] = []
        var visits: [Double] = []
        var watchedDays: [Double] = []
        var logWatchedDays: [Double] = []
        /// Per lead, its click categories in `clickStart[i]..<clickStart[i + 1]` (index, count); pages likewise.
        var clickStart: [Int] = [0], clickIndex: [Int] = [], clickCount: [Double] = []
        var pageStart: [Int] = [0], pageIndex: [Int] = [], pageCount: [Double] = []

        init(_ leads: [LeadEvidence], categories: PersonaRates.Categories) {
            let clickNumbers = Dictionary(uniqueKeysWithValues: categories.clicks.enumerated().map { ($1, $0) })
            let pageNumbers = Dictionary(uniqueKeysWithValues: categories.pages.enumerated().map { ($1, $0) })
            for lead in leads {
                for (name, count) in lead.clickCategories.sorted(by: { $0.key < $1.key }) {
                    if let index = clickNumbers[name] { clickIndex.append(index); clickCount.append(Double(count)) }
                }
                clickStart.append(clickIndex.count)
                for (name, count) in lead.pageCategories.sorted(by: { $0.key < $1.key }) {
                    if let index = pageNumbers[name] { pageIndex.append(index); pageCount.append(Double(count)) }
                }
                pageStart.append(pageIndex.count)
                visits.append(Double(lead.visits))
                watchedDays.append(lead.watchedDays)
                logWatchedDays.append(log(lead.watchedDays))
                for index in 0...LeadEvidence.maxStreak where lead.openedAt[index] + lead.missedAt[index] > 0 {
                    slot.append(index)
                    slotOpened.append(Double(lead.openedAt[index]))
                    slotMissed.append(Double(lead.missedAt[index]))
                }
                slotStart.append(slot.count)
                opened.append(Double(lead.opened))
                delivered.append(Double(lead.delivered))
                clicked.append(Double(lead.clicked))
                replied.append(Double(lead.replied))
                unsubscribed.append(Double(lead.unsubscribed))
                openDelay.append(lead.openDelay)
                reactionDelay.append(lead.reactionDelay)
            }
        }

        var count: Int { opened.count }
    }

    /// A persona's logarithms, worked out once per iteration; held by reference, as every lead reads it.
    final class Logs: Sendable {
        let share: Double
        let openAt: [Double], missAt: [Double]
        let click, noClick, reply, noReply, unsubscribe, noUnsubscribe: Double
        let openMu, openSigma, reactionMu, reactionSigma: Double
        let visitRate, logVisitRate: Double
        let clickShare: [Double], pageShare: [Double]

        init(_ rates: PersonaRates) {
            func clamped(_ p: Double) -> Double { min(max(p, epsilon), 1 - epsilon) }
            share = log(max(rates.share, 1e-300))
            openAt = (0...LeadEvidence.maxStreak).map { log(clamped(rates.open * pow(rates.fatigue, Double($0)))) }
            missAt = (0...LeadEvidence.maxStreak).map { log(clamped(1 - rates.open * pow(rates.fatigue, Double($0)))) }
            click = log(clamped(rates.click))
            noClick = log(clamped(1 - rates.click))
            reply = log(clamped(rates.reply))
            noReply = log(clamped(1 - rates.reply))
            unsubscribe = log(clamped(rates.unsubscribe))
            noUnsubscribe = log(clamped(1 - rates.unsubscribe))
            openMu = rates.openLogMedian
            openSigma = rates.openSpread
            reactionMu = rates.reactionLogMedian
            reactionSigma = rates.reactionSpread
            visitRate = max(rates.visitsPerDay, 1e-6)
            logVisitRate = log(visitRate)
            clickShare = rates.clickShares.map { log(max($0, epsilon)) }
            pageShare = rates.pageShares.map { log(max($0, epsilon)) }
        }

        /// The log density of `sums.count` log-normal delays, from their log sums.
        static func logNormal(_ sums: LeadEvidence.LogSums, mu: Double, sigma: Double) -> Double {
            guard sums.count > 0 else { return 0 }
            let squares = sums.squares - 2 * mu * sums.sum + sums.count * mu * mu
            return -sums.count * (log(sigma) + halfLogTwoPi) - sums.sum - squares / (2 * sigma * sigma)
        }

        static let halfLogTwoPi = 0.5 * log(2 * Double.pi)

        func logLikelihood(_ data: Data, _ i: Int) -> Double {
            var total = 0.0
            for s in data.slotStart[i]..<data.slotStart[i + 1] {
                total += data.slotOpened[s] * openAt[data.slot[s]] + data.slotMissed[s] * missAt[data.slot[s]]
            }
            let opened = data.opened[i]
            if opened > 0 {
                total += data.clicked[i] * click + (opened - data.clicked[i]) * noClick
                total += data.replied[i] * reply + (opened - data.replied[i]) * noReply
                total += data.unsubscribed[i] * unsubscribe + (opened - data.unsubscribed[i]) * noUnsubscribe
            }
            total += Self.logNormal(data.openDelay[i], mu: openMu, sigma: openSigma)
            total += Self.logNormal(data.reactionDelay[i], mu: reactionMu, sigma: reactionSigma)
            // Visits: Poisson over the days watched (up to the constant log v!, the same for every persona).
            total += data.visits[i] * (logVisitRate + data.logWatchedDays[i]) - visitRate * data.watchedDays[i]
            for c in data.clickStart[i]..<data.clickStart[i + 1] { total += data.clickCount[c] * clickShare[data.clickIndex[c]] }
            for c in data.pageStart[i]..<data.pageStart[i + 1] { total += data.pageCount[c] * pageShare[data.pageIndex[c]] }
            return total
        }
    }

    /// What the E-step sums per persona for the M-step.
    struct Sums {
        var leads = 0.0
        var openedAt = [Double](repeating: 0, count: LeadEvidence.maxStreak + 1)
        var missedAt = [Double](repeating: 0, count: LeadEvidence.maxStreak + 1)
        var delivered = 0.0, opened = 0.0, clicked = 0.0, replied = 0.0, unsubscribed = 0.0
        var openDelay = LeadEvidence.LogSums(), reactionDelay = LeadEvidence.LogSums()
        var visits = 0.0, watchedDays = 0.0
        var clicks: [Double], pages: [Double]

        init(_ categories: PersonaRates.Categories) {
            clicks = [Double](repeating: 0, count: categories.clicks.count)
            pages = [Double](repeating: 0, count: categories.pages.count)
        }

        mutating func add(_ other: Sums) {
            leads += other.leads
            for s in openedAt.indices {
                openedAt[s] += other.openedAt[s]
                missedAt[s] += other.missedAt[s]
            }
            delivered += other.delivered
            opened += other.opened
            clicked += other.clicked
            replied += other.replied
            unsubscribed += other.unsubscribed
            openDelay.add(other.openDelay, weight: 1)
            reactionDelay.add(other.reactionDelay, weight: 1)
            visits += other.visits
            watchedDays += other.watchedDays
            for c in clicks.indices { clicks[c] += other.clicks[c] }
            for c in pages.indices { pages[c] += other.pages[c] }
        }
    }

    /// Fits from `start` (leads with no delivered email are left out); stops when an iteration gains less than `tolerance` per lead.
    static func fit(
        _ leads: [LeadEvidence], start: [PersonaRates], categories: PersonaRates.Categories, maxIterations: Int = 500,
        tolerance: Double = 1e-6
    ) -> Result {
        let data = Data(leads.filter { $0.delivered > 0 }, categories: categories)
        var rates = start
        var history: [Double] = []
        var converged = false
        var sums: [Sums] = []
        for _ in 0..<maxIterations {
            let (logLikelihood, stepSums) = expectation(data, rates, categories: categories)
            sums = stepSums
            if let last = history.last, logLikelihood - last < tolerance * Double(max(1, data.count)) {
                history.append(logLikelihood)
                converged = true
                break
            }
            history.append(logLikelihood)
            rates = maximisation(stepSums, previous: rates, total: Double(data.count))
        }
        if !converged { sums = expectation(data, rates, categories: categories).sums }
        return Result(
            personas: rates, logLikelihoods: history, converged: converged, leads: sums.map(\.leads),
            delivered: sums.map(\.delivered), opened: sums.map(\.opened), openDelays: sums.map(\.openDelay.count),
            reactionDelays: sums.map(\.reactionDelay.count), totalLeads: data.count)
    }

    /// The leads are split into this many parts, whatever the number of cores, and their sums
    /// added in part order: the same history gives the same fit on any machine.
    static let parts = 16

    /// The log-likelihood at `rates`, and each persona's weighted sums: the parts of the leads
    /// worked on in parallel.
    static func expectation(
        _ data: Data, _ rates: [PersonaRates], categories: PersonaRates.Categories
    ) -> (logLikelihood: Double, sums: [Sums]) {
        let logs = rates.map(Logs.init)
        let size = (data.count + parts - 1) / parts
        let results = PartResults(count: parts)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let range = min(data.count, part * size)..<min(data.count, (part + 1) * size)
            results.store(part, expectation(data, range: range, logs: logs, categories: categories))
        }
        var total = 0.0
        var sums = [Sums](repeating: Sums(categories), count: rates.count)
        for part in results.all {
            total += part.logLikelihood
            for k in sums.indices { sums[k].add(part.sums[k]) }
        }
        return (total, sums)
    }

    /// Each part's result, written by its own worker.
    final class PartResults: @unchecked Sendable {
        private var results: [(logLikelihood: Double, sums: [Sums])?]
        private let lock = NSLock()

        init(count: Int) { results = Array(repeating: nil, count: count) }

        func store(_ part: Int, _ result: (logLikelihood: Double, sums: [Sums])) {
            lock.lock()
            results[part] = result
            lock.unlock()
        }

        var all: [(logLikelihood: Double, sums: [Sums])] { results.compactMap { $0 } }
    }

    /// The E-step over the leads in `range`.
    static func expectation(
        _ data: Data, range: Range<Int>, logs: [Logs], categories: PersonaRates.Categories
    ) -> (logLikelihood: Double, sums: [Sums]) {
        var sums = (0..<logs.count).map { _ in Sums(categories) }
        var total = 0.0
        var terms = [Double](repeating: 0, count: logs.count)
        for i in range {
            var largest = -Double.infinity
            for k in logs.indices {
                terms[k] = logs[k].share + logs[k].logLikelihood(data, i)
                largest = max(largest, terms[k])
            }
            var norm = 0.0
            for k in terms.indices {
                terms[k] = exp(terms[k] - largest)
                norm += terms[k]
            }
            total += largest + log(norm)
            for k in terms.indices {
                let w = terms[k] / norm
                guard w > 1e-12 else { continue }
                sums[k].leads += w
                for s in data.slotStart[i]..<data.slotStart[i + 1] {
                    sums[k].openedAt[data.slot[s]] += w * data.slotOpened[s]
                    sums[k].missedAt[data.slot[s]] += w * data.slotMissed[s]
                }
                sums[k].delivered += w * data.delivered[i]
                sums[k].opened += w * data.opened[i]
                sums[k].clicked += w * data.clicked[i]
                sums[k].replied += w * data.replied[i]
                sums[k].unsubscribed += w * data.unsubscribed[i]
                sums[k].visits += w * data.visits[i]
                sums[k].watchedDays += w * data.watchedDays[i]
                for c in data.clickStart[i]..<data.clickStart[i + 1] { sums[k].clicks[data.clickIndex[c]] += w * data.clickCount[c] }
                for c in data.pageStart[i]..<data.pageStart[i + 1] { sums[k].pages[data.pageIndex[c]] += w * data.pageCount[c] }
                sums[k].openDelay.add(data.openDelay[i], weight: w)
                sums[k].reactionDelay.add(data.reactionDelay[i], weight: w)
            }
        }
        return (total, sums)
    }

    /// Each lead's chance of being each persona (leads with no delivered email are left out, as in the fit).
    static func posteriors(_ leads: [LeadEvidence], _ rates: [PersonaRates], categories: PersonaRates.Categories) -> [[Double]] {
        let data = Data(leads.filter { $0.delivered > 0 }, categories: categories)
        let logs = rates.map(Logs.init)
        return (0..<data.count).map { i in
            let terms = logs.map { $0.share + $0.logLikelihood(data, i) }
            let largest = terms.max() ?? 0
            let weights = terms.map { exp($0 - largest) }
            let norm = weights.reduce(0, +)
            return weights.map { $0 / norm }
        }
    }

    /// Each parameter at its weighted maximum; a parameter with no evidence keeps its value.
    static func maximisation(_ sums: [Sums], previous: [PersonaRates], total: Double) -> [PersonaRates] {
        zip(sums, previous).map { sum, old in
            var rates = old
            rates.share = sum.leads / total
            guard sum.leads > 1e-9 else { return rates }
            if sum.delivered > 1e-9 { rates.open = openRate(opened: sum.openedAt, missed: sum.missedAt, fatigue: old.fatigue) }
            if sum.opened > 1e-9 {
                rates.click = sum.clicked / sum.opened
                rates.reply = sum.replied / sum.opened
                rates.unsubscribe = sum.unsubscribed / sum.opened
            }
            if sum.openDelay.count >= 2 {
                (rates.openLogMedian, rates.openSpread) = logNormal(sum.openDelay)
            }
            if sum.reactionDelay.count >= 2 {
                (rates.reactionLogMedian, rates.reactionSpread) = logNormal(sum.reactionDelay)
            }
            if sum.watchedDays > 0 { rates.visitsPerDay = sum.visits / sum.watchedDays }
            let clicks = sum.clicks.reduce(0, +), pages = sum.pages.reduce(0, +)
            if clicks > 1e-9 { rates.clickShares = sum.clicks.map { $0 / clicks } }
            if pages > 1e-9 { rates.pageShares = sum.pages.map { $0 / pages } }
            return rates
        }
    }

    /// The weighted maximum of a log-normal: the mean and standard deviation of the logs.
    static func logNormal(_ sums: LeadEvidence.LogSums) -> (Double, Double) {
        let mean = sums.sum / sums.count
        let variance = max(0, sums.squares / sums.count - mean * mean)
        return (mean, min(max(variance.squareRoot(), spreadRange.lowerBound), spreadRange.upperBound))
    }

    /// The open chance `p` that maximises Σ opened·log(p·f^s) + missed·log(1 − p·f^s): the root of
    /// its derivative, which falls as `p` grows, found by bisection.
    static func openRate(opened: [Double], missed: [Double], fatigue: Double) -> Double {
        let totalOpened = opened.reduce(0, +), totalMissed = missed.reduce(0, +)
        guard totalOpened > 0 else { return 0 }
        guard totalMissed > 0 else { return 1 }
        let factors = opened.indices.map { pow(fatigue, Double($0)) }
        func slope(_ p: Double) -> Double {
            var value = totalOpened / p
            for s in missed.indices where missed[s] > 0 { value -= missed[s] * factors[s] / (1 - p * factors[s]) }
            return value
        }
        var low = epsilon, high = 1 - epsilon
        for _ in 0..<60 {
            let middle = (low + high) / 2
            if slope(middle) > 0 { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }
}
