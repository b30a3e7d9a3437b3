import Foundation
import NurtureStore
import PropertyBased
import Testing

/// The shared rate limit's policy: a token bucket drawn on by each claim.
struct SendAllowanceTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("a quiet store grants one second's worth at once, then what the rate refills, never more than was wanted")
    func refillsAtTheRate() {
        let rate = SendRate(perSecond: 10)
        var allowance = SendAllowance(tokens: 0, at: Date(timeIntervalSince1970: 0))
        #expect(allowance.grant(upTo: 500, at: Self.t0, rate: rate) == 10)
        #expect(allowance.grant(upTo: 500, at: Self.t0, rate: rate) == 0)
        #expect(allowance.grant(upTo: 500, at: Self.t0.addingTimeInterval(0.35), rate: rate) == 3)
        #expect(allowance.grant(upTo: 2, at: Self.t0.addingTimeInterval(0.55), rate: rate) == 2, "0.5 left over plus 2 refilled, 2 wanted")
        #expect(allowance.grant(upTo: 500, at: Self.t0.addingTimeInterval(100), rate: rate) == 10, "a long quiet spell fills the bucket, no more")
    }

    @Test("a clock that goes back refills nothing; what was granted and not claimed comes back, up to the burst")
    func clockBackAndGiveBack() {
        let rate = SendRate(perSecond: 4)
        var allowance = SendAllowance(tokens: 0, at: Self.t0)
        #expect(allowance.grant(upTo: 10, at: Self.t0.addingTimeInterval(-30), rate: rate) == 0)
        #expect(allowance.at == Self.t0)
        #expect(allowance.grant(upTo: 10, at: Self.t0.addingTimeInterval(1), rate: rate) == 4)
        allowance.giveBack(3, rate: rate)
        #expect(allowance.grant(upTo: 10, at: Self.t0.addingTimeInterval(1), rate: rate) == 3)
        allowance.giveBack(50, rate: rate)
        #expect(allowance.tokens == rate.burst)
        #expect(SendRate(perSecond: 0.2).burst == 1, "a slow rate still lets one through")
    }

    @Test("over any claims at any times, the total granted stays within the burst plus the rate times the time passed")
    func neverOverTheRate() async {
        let claims = zip(Gen.int(in: 0...2_000), Gen.int(in: 0...600)).array(of: 1...60)
        await propertyCheck(count: 200, input: Gen.int(in: 1...500), claims) { perSecond, claims in
            let rate = SendRate(perSecond: Double(perSecond) / 10)
            var allowance = SendAllowance(tokens: 0, at: Date(timeIntervalSince1970: 0))
            var now = Self.t0, granted = 0
            for (millis, wanted) in claims {
                now = now.addingTimeInterval(Double(millis) / 1000)
                let given = allowance.grant(upTo: wanted, at: now, rate: rate)
                #expect(given >= 0 && given <= wanted)
                granted += given
            }
            #expect(Double(granted) <= rate.burst + rate.perSecond * now.timeIntervalSince(Self.t0) + 1e-6)
        }
    }
}
