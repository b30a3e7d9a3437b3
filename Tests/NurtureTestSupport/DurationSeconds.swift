import Foundation

extension Duration {
    /// The duration in seconds, for the APIs that take a `TimeInterval` (`Thread.sleep`, a
    /// semaphore's timeout).
    var timeInterval: TimeInterval { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
