import Foundation
import NurtureCore

/// A delay that is usually short and sometimes long, as reaction times are: lognormal, given by its
/// median and its spread (the standard deviation of the log).
public struct LogNormalDelay: Hashable, Sendable {
    public var medianSeconds: Double
    public var spread: Double

    public init(median: TimeSpan, spread: Double) {
        medianSeconds = median.nominalSeconds
        self.spread = spread
    }

    /// The delay for a standard normal draw `z`.
    public func seconds(z: Double) -> Double { medianSeconds * exp(spread * z) }
}
