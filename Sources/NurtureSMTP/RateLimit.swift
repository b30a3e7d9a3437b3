/// How fast a relay accepts mail: at most `perSecond` messages in any second, and at most
/// `windowMessages` in any `windowSeconds` (relays often cap per hour or per day).
public struct RateLimit: Sendable, Equatable {
    public var perSecond: Double?
    public var windowMessages: Int?
    public var windowSeconds: Double?

    public init(perSecond: Double? = nil, windowMessages: Int? = nil, windowSeconds: Double? = nil) {
        self.perSecond = perSecond
        self.windowMessages = windowMessages
        self.windowSeconds = windowSeconds
    }

    public static let unlimited = RateLimit()

    /// At most how many messages the limit lets through in `seconds`; nil when nothing limits it.
    public func messages(within seconds: Double) -> Int? {
        var most: Double?
        if let perSecond, perSecond > 0 { most = perSecond * seconds + 1 }
        if let count = windowMessages, let window = windowSeconds, window > 0 {
            let windowed = Double(count) * (seconds / window).rounded(.up)
            most = min(most ?? windowed, windowed)
        }
        return most.map { Int(min($0, Double(Int.max / 2))) }
    }
}

/// The pacing policy as a pure function of past send times: how long to wait before the next
/// message may go. The caller sleeps; nothing here reads a clock.
public struct RateLimiter: Sendable {
    public let limit: RateLimit
    /// Send times inside the sliding window, oldest first.
    private var recent: [Double] = []
    private var head = 0
    /// When the per-second spacing next allows a message.
    private var nextSlot = -Double.infinity

    public init(_ limit: RateLimit) { self.limit = limit }

    /// Seconds to wait from `now` before sending; zero when a message may go now.
    public func delay(at now: Double) -> Double {
        var wait = max(0, nextSlot - now)
        if let count = limit.windowMessages, let seconds = limit.windowSeconds, recent.count - head >= count {
            // The oldest send that must age out of the window first.
            let oldest = recent[recent.count - count]
            wait = max(wait, oldest + seconds - now)
        }
        return wait
    }

    /// Records a send at `now` (after waiting `delay(at:)`).
    public mutating func record(at now: Double) {
        if let perSecond = limit.perSecond, perSecond > 0 {
            nextSlot = max(nextSlot, now) + 1 / perSecond
        }
        guard let seconds = limit.windowSeconds, limit.windowMessages != nil else { return }
        recent.append(now)
        while head < recent.count, recent[head] <= now - seconds { head += 1 }
        if head > 1024 {
            recent.removeFirst(head)
            head = 0
        }
    }
}
