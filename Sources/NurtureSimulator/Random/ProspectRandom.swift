import Foundation
import NurturePersonas

/// One prospect's own random stream: xoshiro256** seeded through SplitMix64 from (seed, index).
///
/// Every prospect draws only from its own stream, so a run's results do not depend on how
/// prospects are spread over threads, and two variants compared on the same seed meet the same
/// prospects (common random numbers).
public struct ProspectRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64, index: UInt64) {
        var mix = seed &* 0x9E37_79B9_7F4A_7C15 ^ index &* 0xD1B5_4A32_D192_ED03
        func splitMix() -> UInt64 {
            mix &+= 0x9E37_79B9_7F4A_7C15
            var z = mix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, 1).
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { p > 0 && uniform() < p }

    /// A standard normal draw (Box-Muller).
    public mutating func normal() -> Double {
        let u1 = max(uniform(), .leastNonzeroMagnitude)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * uniform())
    }

    /// An exponential draw with the given mean.
    public mutating func exponential(mean: Double) -> Double { -mean * log(1 - uniform()) }
}
