import Foundation

/// The fit checked against the record: for each measure of the whole history, the recorded value
/// with a 95% bootstrap interval (leads resampled with replacement, so that a lead's emails count
/// together), and the value the fitted mixture predicts for the same leads (see `predictions`). A
/// predicted value outside the interval is a measure the model misses.
public struct FitMeasure: Sendable, Hashable {
    public var key: String
    public var label: String
    public var recorded: Double
    public var interval: ClosedRange<Double>
    public var model: Double
    /// Delays are shown in time, visits a day as a number, the rest as percentages.
    public var isDelay: Bool
    public var isPerDay: Bool
    public var fits: Bool { interval.contains(model) }
}

enum FitMeasures {
    /// Each resample's totals, written by its own worker.
    final class ResampleTotals: @unchecked Sendable {
        private var totals: [[Double]]
        private let lock = NSLock()

        init(count: Int) { totals = Array(repeating: [], count: count) }

        func store(_ sample: Int, _ values: [Double]) {
            lock.lock()
            totals[sample] = values
            lock.unlock()
        }

        var all: [[Double]] { totals }
    }

    static let resamples = 200
    /// Emails per lead past this are treated as this many in the model's expectations.
    static let maxEmails = 64

    /// A measure as a ratio of per-lead sums, so the bootstrap resamples leads.
    private struct Ratio {
        var key: String
        var label: String
        var numerator: (LeadEvidence) -> Double
        var denominator: (LeadEvidence) -> Double
        var isDelay = false
        var isPerDay = false
    }

    static func measure(_ leads: [LeadEvidence], fitted: [PersonaRates], weights: [[Double]], seed: UInt64 = 1) -> [FitMeasure] {
        guard !leads.isEmpty else { return [] }
        let ratios: [Ratio] = [
            Ratio(key: "bounced", label: "leads bounced", numerator: { $0.bounced ? 1 : 0 }, denominator: { _ in 1 }),
            Ratio(key: "first", label: "first delivered email opened by a person", numerator: { $0.firstOpened ? 1 : 0 }, denominator: { $0.delivered > 0 ? 1 : 0 }),
            Ratio(key: "open", label: "human opens per delivered email", numerator: { Double($0.opened) }, denominator: { Double($0.delivered) }),
            Ratio(key: "click", label: "clicks per human open", numerator: { Double($0.clicked) }, denominator: { Double($0.opened) }),
            Ratio(key: "reply", label: "replies per human open", numerator: { Double($0.replied) }, denominator: { Double($0.opened) }),
            Ratio(key: "unsubscribe", label: "unsubscribes per human open", numerator: { Double($0.unsubscribed) }, denominator: { Double($0.opened) }),
            Ratio(key: "visits", label: "page visits per lead and day", numerator: { $0.delivered > 0 ? Double($0.visits) : 0 },
                  denominator: { $0.delivered > 0 ? $0.watchedDays : 0 }, isPerDay: true),
            Ratio(key: "open_delay", label: "open delay (geometric mean)", numerator: { $0.openDelay.sum }, denominator: { $0.openDelay.count }, isDelay: true),
            Ratio(key: "reaction_delay", label: "reaction delay (geometric mean)", numerator: { $0.reactionDelay.sum }, denominator: { $0.reactionDelay.count }, isDelay: true),
        ]
        let model = predictions(leads, fitted, weights: weights)
        // Per lead, every measure's numerator and denominator side by side; each resample adds
        // them up for the leads it drew, all measures at once.
        let width = ratios.count
        var filled = [Double](repeating: 0, count: leads.count * 2 * width)
        for (i, lead) in leads.enumerated() {
            for (m, ratio) in ratios.enumerated() {
                filled[(i * width + m) * 2] = ratio.numerator(lead)
                filled[(i * width + m) * 2 + 1] = ratio.denominator(lead)
            }
        }
        let parts = filled
        func value(_ ratio: Ratio, _ n: Double, _ d: Double) -> Double { d > 0 ? (ratio.isDelay ? exp(n / d) : n / d) : 0 }
        // Each resample draws from its own stream, so they run on every core and give the same
        // intervals on any machine.
        let resampled = ResampleTotals(count: resamples)
        let count = leads.count
        DispatchQueue.concurrentPerform(iterations: resamples) { sample in
            var random = ProspectRandom(seed: seed, index: UInt64(sample))
            var totals = [Double](repeating: 0, count: 2 * width)
            for _ in 0..<count {
                let base = Int(random.uniform() * Double(count)) * 2 * width
                for index in 0..<(2 * width) { totals[index] += parts[base + index] }
            }
            resampled.store(sample, totals)
        }
        var draws = [[Double]](repeating: [], count: width)
        for totals in resampled.all {
            for (m, ratio) in ratios.enumerated() { draws[m].append(value(ratio, totals[2 * m], totals[2 * m + 1])) }
        }
        return ratios.enumerated().map { m, ratio in
            var n = 0.0, d = 0.0
            for i in 0..<leads.count {
                n += parts[(i * width + m) * 2]
                d += parts[(i * width + m) * 2 + 1]
            }
            let recorded = value(ratio, n, d)
            let sorted = draws[m].sorted()
            let low = sorted[Int(Double(resamples) * 0.025)], high = sorted[min(resamples - 1, Int(Double(resamples) * 0.975))]
            return FitMeasure(
                key: ratio.key, label: ratio.label, recorded: recorded, interval: min(low, recorded)...max(high, recorded),
                model: model[ratio.key] ?? 0, isDelay: ratio.isDelay, isPerDay: ratio.isPerDay)
        }
    }

    /// What the fitted mixture expects of these leads: for each, its number of delivered emails and
    /// days watched, weighed by its chance of being each persona. Rates that the M-step matches by
    /// construction come out close to the record; the first email's opens, the visit rate and the
    /// delays test the shape of the mixture. The held-out dry-run is the independent check.
    static func predictions(_ leads: [LeadEvidence], _ fitted: [PersonaRates], weights: [[Double]]) -> [String: Double] {
        let bounced = fitted.reduce(0) { $0 + $1.share * $1.bounce } / max(fitted.reduce(0) { $0 + $1.share }, 1e-12)
        let tables = fitted.map(openExpectations)
        var opens = 0.0, emails = 0.0, first = 0.0, withEmail = 0.0, visits = 0.0, days = 0.0
        var clicks = 0.0, replies = 0.0, unsubscribes = 0.0, openLogs = 0.0, reactionLogs = 0.0, reactions = 0.0
        for (lead, chances) in zip(leads.filter { $0.delivered > 0 }, weights) {
            let n = min(lead.delivered, maxEmails)
            emails += Double(lead.delivered)
            withEmail += 1
            days += lead.watchedDays
            for (k, persona) in fitted.enumerated() where chances[k] > 1e-12 {
                let personaOpens = chances[k] * tables[k][n] * Double(lead.delivered) / Double(n)
                opens += personaOpens
                first += chances[k] * persona.open
                visits += chances[k] * persona.visitsPerDay * lead.watchedDays
                clicks += personaOpens * persona.click
                replies += personaOpens * persona.reply
                unsubscribes += personaOpens * persona.unsubscribe
                openLogs += personaOpens * persona.openLogMedian
                let personaReactions = personaOpens * (persona.click + persona.reply + persona.unsubscribe)
                reactions += personaReactions
                reactionLogs += personaReactions * persona.reactionLogMedian
            }
        }
        func ratio(_ a: Double, _ b: Double) -> Double { b > 0 ? a / b : 0 }
        return [
            "bounced": bounced, "first": ratio(first, withEmail), "open": ratio(opens, emails),
            "click": ratio(clicks, opens), "reply": ratio(replies, opens), "unsubscribe": ratio(unsubscribes, opens),
            "visits": ratio(visits, days), "open_delay": exp(ratio(openLogs, opens)), "reaction_delay": exp(ratio(reactionLogs, reactions)),
        ]
    }

    /// For 0 to `maxEmails` delivered emails: the expected human opens, following the unopened
    /// streak that fatigue works on.
    static func openExpectations(_ persona: PersonaRates) -> [Double] {
        var streaks = [Double](repeating: 0, count: maxEmails + 1)
        streaks[0] = 1
        var opens = [0.0]
        var expected = 0.0
        for n in 1...maxEmails {
            var next = [Double](repeating: 0, count: maxEmails + 1)
            for s in 0..<n where streaks[s] > 0 {
                let p = min(1, persona.open * pow(persona.fatigue, Double(s)))
                expected += streaks[s] * p
                next[0] += streaks[s] * p
                next[s + 1] += streaks[s] * (1 - p)
            }
            streaks = next
            opens.append(expected)
        }
        return opens
    }
}
