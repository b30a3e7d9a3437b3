import Foundation
import NurturePersonas

/// The part of a persona calibration fits: its share, its chances per delivered email, its delays
/// (as the mean and standard deviation of the log seconds), its page visits a day and the
/// categories of its clicks and visits (over `Categories`, the names every persona shares).
/// Fatigue is read from the starting persona and kept: with a few emails per lead it cannot be told
/// apart from the open rate.
public struct PersonaRates: Sendable, Hashable {
    public var share: Double
    public var bounce: Double
    public var open: Double
    public var click: Double
    public var reply: Double
    public var unsubscribe: Double
    public var fatigue: Double
    public var openLogMedian: Double
    public var openSpread: Double
    public var reactionLogMedian: Double
    public var reactionSpread: Double
    public var visitsPerDay: Double
    /// Shares of the click and page categories, in `Categories` order.
    public var clickShares: [Double]
    public var pageShares: [Double]

    /// The category names of clicks and visits, in a fixed order: the starting personas' and the record's.
    public struct Categories: Sendable, Hashable {
        public var clicks: [String]
        public var pages: [String]
    }

    /// A start mix with a little of every category, so that a category the starting file left out
    /// of a persona can still be found in it.
    static func startShares(_ mix: Mix<String>?, names: [String]) -> [Double] {
        guard !names.isEmpty else { return [] }
        let given = mix.map { Dictionary(zip($0.values, $0.shares), uniquingKeysWith: +) } ?? [:]
        let floor = 1.0 / Double(names.count)
        return names.map { given.isEmpty ? floor : 0.98 * (given[$0] ?? 0) + 0.02 * floor }
    }

    public init(_ persona: Persona, categories: Categories) {
        share = persona.share
        bounce = persona.bounce
        open = persona.open
        click = persona.click
        reply = persona.reply
        unsubscribe = persona.unsubscribe
        fatigue = persona.fatigue
        openLogMedian = log(max(persona.openDelay.medianSeconds, 1))
        openSpread = persona.openDelay.spread
        reactionLogMedian = log(max(persona.clickDelay.medianSeconds, 1))
        reactionSpread = persona.clickDelay.spread
        visitsPerDay = persona.visitsPerDay
        clickShares = Self.startShares(persona.clickCategories, names: categories.clicks)
        pageShares = Self.startShares(persona.visitPages, names: categories.pages)
    }

    public var openDelayMedianSeconds: Double { exp(openLogMedian) }
    public var reactionDelayMedianSeconds: Double { exp(reactionLogMedian) }

    /// Categories below this share are left out of a written mix.
    static let smallestShare = 0.001
    /// The most visits a day a persona file takes.
    static let visitLimit = 50.0

    static func mix(_ shares: [Double], names: [String]) -> Mix<String>? {
        Mix(zip(names, shares).filter { $0.1 >= smallestShare }.map { ($0.0, $0.1) })
    }

    /// `persona` with these rates in place of its own; every other field is kept.
    public func applied(to persona: Persona, categories: Categories) -> Persona {
        var result = persona
        result.share = share
        result.bounce = bounce
        result.open = open
        result.click = click
        result.reply = reply
        result.unsubscribe = unsubscribe
        result.openDelay.medianSeconds = openDelayMedianSeconds
        result.openDelay.spread = openSpread
        result.clickDelay.medianSeconds = reactionDelayMedianSeconds
        result.clickDelay.spread = reactionSpread
        if let clicks = Self.mix(clickShares, names: categories.clicks) { result.clickCategories = clicks }
        // Visits are written with their pages; a persona with no page seen keeps its own.
        if let pages = Self.mix(pageShares, names: categories.pages) {
            result.visitPages = pages
            result.visitsPerDay = min(visitsPerDay, Self.visitLimit)
        }
        return result
    }
}
