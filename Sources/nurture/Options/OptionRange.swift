import ArgumentParser
import NurtureSMTP

/// The range each numeric option accepts, stated once and checked when the command line is
/// parsed, so that no command starts with a value it cannot run (an overflowing count, a
/// thousand connections, a rate of `nan`).
enum OptionRange {
    /// How many days a run may follow its leads: at least one, and no more than ten years.
    static let days = 1...3650
    static let prospects = 1...10_000_000
    static let reps = 1...10_000
    /// Hand-offs one rep follows up per business day.
    static let capacity = 1...10_000
    static let threads = 1...512
    static let connections = RelayConfiguration.connectionLimit
    /// Messages per second.
    static let rate = 0.001...10_000.0
    /// Seconds a claimed send or lead stays leased: a second to a day.
    static let lease = 1.0...86_400.0
    /// Leads or sends handled per pass.
    static let batch = 1...100_000

    /// Refuses `value` for `option` unless `range` holds it; `nan` is never held.
    static func check<Value: Comparable>(_ value: Value, in range: ClosedRange<Value>, option: String) throws {
        guard range.contains(value) else {
            throw ValidationError("\(option) must be between \(range.lowerBound) and \(range.upperBound)")
        }
    }
}
