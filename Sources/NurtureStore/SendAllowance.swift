import Foundation

/// The relay's rate limit, shared by every scheduler on one store: a token bucket kept in the store
/// (`send_allowance`, one row) and drawn on by each claim of sends, in the claim's own transaction.
/// However many `nurture run` processes share the queue, together they claim no more than `burst`
/// plus `perSecond` for every second that passes; each then paces its own connections as before.
public struct SendRate: Sendable, Equatable {
    public var perSecond: Double
    /// The most that may be claimed at once after a quiet spell: one second's worth, at least one.
    public var burst: Double

    public init(perSecond: Double) {
        self.perSecond = perSecond
        burst = max(1, perSecond.rounded(.up))
    }
}

/// The bucket's state as stored, and the pure policy that draws on it.
public struct SendAllowance: Sendable, Equatable {
    /// Sends that may be claimed now, fractions included.
    public var tokens: Double
    /// When `tokens` was last brought up to date.
    public var at: Date

    public init(tokens: Double, at: Date) {
        self.tokens = tokens
        self.at = at
    }

    /// Refills the bucket for the time since `at` (never past `burst`; a clock that went back
    /// refills nothing) and takes up to `wanted` whole sends from it. Returns how many were granted.
    public mutating func grant(upTo wanted: Int, at now: Date, rate: SendRate) -> Int {
        let elapsed = max(0, now.timeIntervalSince(at))
        let refilled = tokens.isFinite ? tokens + elapsed * rate.perSecond : rate.burst
        tokens = min(rate.burst, max(0, refilled))
        if now > at { at = now }
        let granted = max(0, min(wanted, Int(tokens.rounded(.down))))
        tokens -= Double(granted)
        return granted
    }

    /// Gives back what was granted and not claimed (fewer sends were due), so that it is not lost.
    public mutating func giveBack(_ unused: Int, rate: SendRate) {
        tokens = min(rate.burst, tokens + Double(max(0, unused)))
    }
}
