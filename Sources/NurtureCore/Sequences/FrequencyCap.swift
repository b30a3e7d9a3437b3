import Foundation

/// At most `emails` emails to one lead within any `per`, counting every sequence.
public struct FrequencyCap: Hashable, Sendable {
    public var emails: Int
    public var per: TimeSpan

    public init(emails: Int, per: TimeSpan) {
        self.emails = emails
        self.per = per
    }

    /// When one more email may go, asked for `candidate`: `candidate` itself when the sends in
    /// the period before it leave room, or else the instant enough of them have aged out of it
    /// (always later than `candidate`).
    ///
    /// `recentSends` are the lead's latest sends, oldest first, across every sequence.
    @inline(__always)  // Asked at every send: as a call it cost about 1% of the simulator's instructions.
    func nextRoom(at candidate: Date, recentSends: [Date]) -> Date {
        let horizon = candidate.addingTimeInterval(-per.nominalSeconds)
        // Sends are kept oldest first: count those inside the period from the newest back.
        var recent = 0
        for sent in recentSends.reversed() where sent > horizon { recent += 1 }
        guard recent >= emails else { return candidate }
        // The send that must age out: the oldest inside the period, or a later one when the
        // period holds more than the cap (the cap was lowered).
        let oldestToAge = recentSends[recentSends.count - recent + (recent - emails)]
        return oldestToAge.addingTimeInterval(per.nominalSeconds)
    }
}
