import Foundation
import NurtureBasics

/// When to try a send again after a transient failure: capped exponential backoff, spread by a
/// jitter drawn from the send's key so that a relay outage does not bring every retry back at the
/// same instant, and a lifetime after which the send is given up.
///
///     attempt:  1     2      3      4      5 ...
///     delay:    5m    10m    20m    40m    80m ... capped at 6h, each ×0.8–1.2
public struct RetryPolicy: Sendable, Equatable {
    public var base: TimeInterval
    public var cap: TimeInterval
    /// How long after the first attempt a send may keep being retried.
    public var lifetime: TimeInterval

    public init(base: TimeInterval = 300, cap: TimeInterval = 6 * 3600, lifetime: TimeInterval = 3 * 86_400) {
        self.base = base
        self.cap = cap
        self.lifetime = lifetime
    }

    /// The wait after failed attempt number `attempt` (1 for the first).
    public func delay(afterAttempt attempt: Int, key: String) -> TimeInterval {
        let exponent = Double(max(0, attempt - 1))
        let raw = min(cap, base * pow(2, min(exponent, 30)))
        return raw * (0.8 + 0.4 * Self.unitJitter(key: key, attempt: attempt))
    }

    /// Whether a send first attempted at `firstAttempt` is past its lifetime at `now`.
    public func givesUp(firstAttempt: Date, now: Date) -> Bool {
        now.timeIntervalSince(firstAttempt) >= lifetime
    }

    /// A number in [0, 1) fixed by the key and attempt (FNV-1a).
    static func unitJitter(key: String, attempt: Int) -> Double {
        var hash = FNV1a()
        hash.add(key.utf8)
        hash.add(word: UInt64(attempt))
        return Double(hash.value >> 11) * 0x1.0p-53
    }
}
