import Foundation
import Testing
@testable import NurtureScheduler

/// The retry schedule on its own: capped exponential backoff, a jitter fixed by the send's key,
/// and the lifetime after which a send is given up.
@Suite("Retry policy")
struct RetryPolicyTests {
    let policy = RetryPolicy(base: 300, cap: 6 * 3600, lifetime: 3 * 86_400)
    let key = "lead-1|post-webinar|recording|0"

    @Test("each delay is the doubled base, spread by ±20%, and never above the cap's +20%")
    func delaysDoubleWithinTheirJitterUpToTheCap() {
        for attempt in 1...20 {
            let raw = min(policy.cap, policy.base * pow(2, Double(attempt - 1)))
            let delay = policy.delay(afterAttempt: attempt, key: key)
            #expect(delay >= raw * 0.8 && delay < raw * 1.2, "attempt \(attempt): \(delay)s against \(raw)s")
        }
        #expect(policy.delay(afterAttempt: 40, key: key) < policy.cap * 1.2)
        // Attempt numbers below 1 count as the first.
        #expect(policy.delay(afterAttempt: 0, key: key) < policy.base * 1.2)
    }

    @Test("the same key and attempt give the same delay on every run; other keys spread out")
    func jitterIsFixedByTheKeyAndSpreadsAcrossKeys() {
        #expect(policy.delay(afterAttempt: 3, key: key) == policy.delay(afterAttempt: 3, key: key))
        let jitters = (0..<200).map { RetryPolicy.unitJitter(key: "lead-\($0)|post-webinar|recording|0", attempt: 1) }
        #expect(jitters.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(Set(jitters).count == jitters.count)
        #expect(jitters.contains { $0 < 0.25 } && jitters.contains { $0 > 0.75 })
    }

    @Test("the jitter is FNV-1a of the key, then the attempt, pinned so that no rewrite moves a retry")
    func jitterValueIsStable() {
        #expect(RetryPolicy.unitJitter(key: key, attempt: 1) == 0.5951307313780425)
        #expect(RetryPolicy.unitJitter(key: key, attempt: 2) == 0.5951309101919768)
    }

    @Test("a send is given up exactly when its lifetime has passed since the first attempt")
    func givesUpAtTheLifetime() {
        let first = Date(timeIntervalSince1970: 1_767_621_600)
        #expect(!policy.givesUp(firstAttempt: first, now: first))
        #expect(!policy.givesUp(firstAttempt: first, now: first.addingTimeInterval(policy.lifetime - 1)))
        #expect(policy.givesUp(firstAttempt: first, now: first.addingTimeInterval(policy.lifetime)))
    }
}
