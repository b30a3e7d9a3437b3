import Foundation

/// Where the scheduler gets the time, so tests can drive weeks of a sequence on a virtual clock.
public protocol SchedulerClock: Sendable {
    func now() -> Date
    /// Waits until `date` (or returns early when the scheduler is asked to stop).
    func sleep(until date: Date) async
}

/// The real clock.
public struct SystemClock: SchedulerClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(until date: Date) async {
        let seconds = date.timeIntervalSinceNow
        guard seconds > 0 else { return }
        try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
    }
}
