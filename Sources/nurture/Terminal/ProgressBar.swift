import Foundation
import NurtureBasics
import Synchronization

/// A progress bar on standard error, shown only on a terminal and only once a run has taken more
/// than a second.
final class ProgressBar: Sendable {
    let total: Int
    let started = Date()
    let enabled = isatty(STDERR_FILENO) != 0
    private let lastDrawn = Mutex<Date?>(nil)

    init(total: Int) { self.total = total }

    func update(_ done: Int) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(started) > 1 else { return }
        let draw = lastDrawn.withLock { last -> Bool in
            if let last, now.timeIntervalSince(last) < 0.1, done < total { return false }
            last = now
            return true
        }
        guard draw else { return }
        let fraction = Double(done) / Double(max(1, total))
        let filled = Int(fraction * 30)
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: 30 - filled)
        let rate = Double(done) / max(0.001, now.timeIntervalSince(started))
        let left = rate > 0 ? Int((Double(total - done) / rate).rounded(.up)) : 0
        let line = String(format: "[%@] %3.0f%%  ", bar, fraction * 100)
            + "\(Figures.count(done)) of \(Figures.count(total, "prospect")), \(Figures.count(Int(rate)))/s, about \(Self.duration(left)) left"
        // Back to the start of the line, and clear what a longer line before left behind.
        FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8))
    }


    /// "8 s", "2 min 5 s": how long a run still has to go.
    static func duration(_ seconds: Int) -> String {
        seconds < 60 ? "\(seconds) s" : "\(seconds / 60) min \(seconds % 60) s"
    }

    func finish() {
        let drawn = lastDrawn.withLock { $0 != nil }
        if enabled, drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
