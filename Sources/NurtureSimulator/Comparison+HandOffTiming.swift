extension VariantComparison {
    /// When each variant hands off the prospects both hand off, paired prospect by prospect.
    ///
    /// Each variant's median time to hand-off can point the wrong way: one prospect crossing a gap
    /// in a few hundred sorted hand-off times moves a median by half a day, even when B hands off
    /// ten times as many prospects sooner as later. Pairing each prospect with itself says which
    /// variant hands off sooner, and by how much.
    public struct HandOffTiming: Codable, Sendable {
        /// Prospects handed off in both variants; the other figures but `onlyA` and `onlyB` are over them.
        public var both: Int
        public var onlyA: Int
        public var onlyB: Int
        /// How many B hands off sooner than A, later, and in the same minute.
        public var sooner: Int
        public var later: Int
        public var same: Int
        /// Mean days from the start of the run to the hand-off in A and in B, and B minus A with
        /// its 95% interval (`days_to_hand_off`).
        public var days: Difference

        /// The name of `days` among the measures.
        static let measure = "days_to_hand_off"

        /// Running sums, in whole minutes: integer sums do not depend on the order workers merge in,
        /// so the result does not depend on the number of threads.
        struct Accumulator: Sendable {
            var both = 0, onlyA = 0, onlyB = 0, sooner = 0, later = 0
            var minutesA = 0, minutesB = 0, sumDifference = 0, sumSquares = 0

            mutating func add(_ a: ProspectOutcome, _ b: ProspectOutcome) {
                switch (a.minutesToHandOff, b.minutesToHandOff) {
                case let (a?, b?):
                    both += 1
                    minutesA += a
                    minutesB += b
                    let difference = b - a
                    sumDifference += difference
                    sumSquares += difference * difference
                    if difference < 0 { sooner += 1 } else if difference > 0 { later += 1 }
                case (.some, nil): onlyA += 1
                case (nil, .some): onlyB += 1
                case (nil, nil): break
                }
            }

            mutating func merge(_ other: Accumulator) {
                both += other.both
                onlyA += other.onlyA
                onlyB += other.onlyB
                sooner += other.sooner
                later += other.later
                minutesA += other.minutesA
                minutesB += other.minutesB
                sumDifference += other.sumDifference
                sumSquares += other.sumSquares
            }

            var timing: HandOffTiming {
                let minutesPerDay = 1440.0
                return HandOffTiming(
                    both: both, onlyA: onlyA, onlyB: onlyB, sooner: sooner, later: later, same: both - sooner - later,
                    days: Difference(
                        paired: HandOffTiming.measure, count: both, sumA: Double(minutesA) / minutesPerDay,
                        sumB: Double(minutesB) / minutesPerDay, sumDifference: Double(sumDifference) / minutesPerDay,
                        sumSquares: Double(sumSquares) / (minutesPerDay * minutesPerDay)))
            }
        }
    }
}
