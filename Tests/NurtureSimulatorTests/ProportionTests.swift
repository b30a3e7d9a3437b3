import Foundation
import NurtureSimulator
import Testing

/// Funnel shares carry Wilson score intervals.
@Suite("Proportion")
struct ProportionTests {
    @Test("Wilson intervals against worked values")
    func wilson() {
        let half = Proportion(5, of: 10)
        #expect(half.rate == 0.5)
        #expect(abs(half.low - 0.236593) < 1e-6 && abs(half.high - 0.763407) < 1e-6)
        let none = Proportion(0, of: 10)
        #expect(none.rate == 0 && none.low == 0 && abs(none.high - 0.277533) < 1e-6)
        let all = Proportion(10, of: 10)
        #expect(all.rate == 1 && abs(all.low - 0.722467) < 1e-6 && all.high <= 1 && all.high > 0.999)
        let rare = Proportion(1, of: 1000)
        #expect(abs(rare.low - 0.000177) < 1e-6 && abs(rare.high - 0.005643) < 1e-6)
    }

    @Test("an empty total gives zeros, not NaN")
    func emptyTotal() {
        let empty = Proportion(0, of: 0)
        #expect(empty.rate == 0 && empty.low == 0 && empty.high == 0)
    }

    @Test("the interval always contains the rate and stays in [0, 1]")
    func containsRate() {
        for total in [1, 2, 7, 50, 1000] {
            for count in 0...total where count % max(1, total / 20) == 0 || count == total {
                let share = Proportion(count, of: total)
                #expect(share.low >= 0 && share.high <= 1)
                #expect(share.low <= share.rate + 1e-12 && share.rate <= share.high + 1e-12, "\(count) of \(total)")
            }
        }
    }
}
