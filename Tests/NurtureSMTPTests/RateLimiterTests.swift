import NurtureSMTP
import Testing

/// The pacing policy as the pure function it is: send times in, waits out.
struct RateLimiterTests {
    @Test func unlimitedNeverWaits() {
        var limiter = RateLimiter(.unlimited)
        for time in stride(from: 0.0, to: 1.0, by: 0.001) {
            #expect(limiter.delay(at: time) == 0)
            limiter.record(at: time)
        }
    }

    @Test func perSecondSpacesMessagesEvenly() {
        var limiter = RateLimiter(RateLimit(perSecond: 4))
        #expect(limiter.delay(at: 10) == 0)
        limiter.record(at: 10)
        #expect(limiter.delay(at: 10) == 0.25)
        #expect(abs(limiter.delay(at: 10.1) - 0.15) < 1e-9)
        #expect(limiter.delay(at: 10.25) == 0)
        limiter.record(at: 10.25)
        #expect(limiter.delay(at: 10.3) > 0)
        // An idle spell earns no burst: after a long pause the spacing starts again from now.
        #expect(limiter.delay(at: 100) == 0)
        limiter.record(at: 100)
        #expect(abs(limiter.delay(at: 100) - 0.25) < 1e-9)
    }

    @Test func slidingWindowWaitsForTheOldestToAgeOut() {
        var limiter = RateLimiter(RateLimit(windowMessages: 3, windowSeconds: 10))
        for time in [0.0, 1, 2] {
            #expect(limiter.delay(at: time) == 0)
            limiter.record(at: time)
        }
        #expect(limiter.delay(at: 2) == 8)  // the send at 0 leaves the window at 10
        #expect(limiter.delay(at: 9.5) == 0.5)
        #expect(limiter.delay(at: 10) == 0)
        limiter.record(at: 10)
        #expect(limiter.delay(at: 10) == 1)  // now the send at 1 must leave first
        #expect(limiter.delay(at: 11) == 0)
    }

    @Test func bothLimitsTogetherTakeTheLongerWait() {
        var limiter = RateLimiter(RateLimit(perSecond: 1, windowMessages: 2, windowSeconds: 60))
        limiter.record(at: 0)
        #expect(limiter.delay(at: 0) == 1)  // spacing
        limiter.record(at: 1)
        #expect(limiter.delay(at: 2) == 58)  // window, longer than the spacing
        #expect(limiter.delay(at: 60) == 0)
    }

    /// A simulated sender that always waits as told never breaks either limit, over enough sends
    /// to exercise the limiter's pruning of old times, and never waits longer than it must.
    @Test(arguments: [
        RateLimit(perSecond: 5),
        RateLimit(windowMessages: 7, windowSeconds: 3),
        RateLimit(perSecond: 20, windowMessages: 50, windowSeconds: 10),
        RateLimit(perSecond: 0.5, windowMessages: 3, windowSeconds: 5),
    ])
    func simulatedSendsRespectTheLimits(limit: RateLimit) {
        var limiter = RateLimiter(limit)
        var now = 0.0
        var sent: [Double] = []
        for number in 0..<3000 {
            // Callers arrive at uneven times; some find the limiter idle.
            now += number % 97 == 0 ? 1.7 : 0.003
            let wait = limiter.delay(at: now)
            #expect(wait >= 0)
            // The least wait that keeps both limits, worked out from the whole history.
            var earliest = now
            if let perSecond = limit.perSecond, let last = sent.last { earliest = max(earliest, last + 1 / perSecond) }
            if let count = limit.windowMessages, let seconds = limit.windowSeconds, sent.count >= count {
                earliest = max(earliest, sent[sent.count - count] + seconds)
            }
            #expect(abs(wait - (earliest - now)) < 1e-9, "send \(number) waits \(wait), needs \(earliest - now)")
            now += wait
            #expect(limiter.delay(at: now) <= 1e-9, "after waiting, the message may go")
            limiter.record(at: now)
            sent.append(now)
        }
        let epsilon = 1e-6
        if let perSecond = limit.perSecond {
            for (earlier, later) in zip(sent, sent.dropFirst()) {
                #expect(later - earlier >= 1 / perSecond - epsilon)
            }
        }
        if let count = limit.windowMessages, let seconds = limit.windowSeconds {
            // Any `count + 1` consecutive sends span at least the window.
            for index in count..<sent.count {
                #expect(sent[index] - sent[index - count] >= seconds - epsilon)
            }
        }
    }

    @Test func messagesWithinATimeBoundTheClaimsOfAPass() {
        #expect(RateLimit.unlimited.messages(within: 150) == nil)
        #expect(RateLimit(perSecond: 2).messages(within: 150) == 301)
        #expect(RateLimit(windowMessages: 100, windowSeconds: 3600).messages(within: 150) == 100)
        #expect(RateLimit(windowMessages: 10, windowSeconds: 60).messages(within: 150) == 30)
        #expect(RateLimit(perSecond: 1, windowMessages: 100, windowSeconds: 60).messages(within: 150) == 151)
        // The real limiter, run flat out for the same time, never sends more than the bound.
        for limit in [RateLimit(perSecond: 2), RateLimit(windowMessages: 10, windowSeconds: 60),
                      RateLimit(perSecond: 1, windowMessages: 100, windowSeconds: 60)] {
            var limiter = RateLimiter(limit)
            var now = 0.0, sent = 0
            while true {
                now += limiter.delay(at: now)
                guard now <= 150 else { break }
                limiter.record(at: now)
                sent += 1
            }
            #expect(sent <= limit.messages(within: 150)!, "\(limit): \(sent)")
        }
    }
}
