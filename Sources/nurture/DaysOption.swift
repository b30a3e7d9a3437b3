import ArgumentParser

/// How many days a run may follow its leads, the same for every command that takes `--days`:
/// at least one, and no more than ten years.
enum DaysOption {
    static let allowed = 1...3650

    static func check(_ days: Int) throws {
        guard allowed.contains(days) else {
            throw ValidationError("--days must be between \(allowed.lowerBound) and \(allowed.upperBound)")
        }
    }
}
