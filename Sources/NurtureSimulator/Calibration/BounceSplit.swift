import Foundation

/// Shares and bounce rates over all leads, from the mixture of leads with a delivered email.
///
/// A lead whose first email bounced shows nothing of who it is, so only the overall bounce rate
/// `B` is known, not each persona's: any split of the bounced leads fits them equally well. The
/// split kept is the starting file's: each persona's bounce rate is its starting rate times one
/// factor λ, chosen so that the shares come to 1. With `ρ` the shares among delivered leads, a
/// persona's share is `ρ(1 − B) / (1 − λ·b₀)`, which grows with λ, so λ is found by bisection.
/// With no bounce rate in the starting file, every persona gets `B`.
enum BounceSplit {
    static func apply(_ rates: [PersonaRates], startBounce: [Double], bounced: Double) -> [PersonaRates] {
        let largest = startBounce.max() ?? 0
        let factor: Double
        if largest <= 0 || bounced <= 0 {
            factor = 0
        } else {
            func excess(_ lambda: Double) -> Double {
                zip(rates, startBounce).reduce(0) { $0 + $1.0.share * (1 - bounced) / (1 - lambda * $1.1) } - 1
            }
            var low = 0.0, high = (1 - 1e-9) / largest
            if excess(high) < 0 {
                low = high
            } else {
                for _ in 0..<80 {
                    let middle = (low + high) / 2
                    if excess(middle) < 0 { low = middle } else { high = middle }
                }
            }
            factor = (low + high) / 2
        }
        var result = rates
        for k in result.indices {
            result[k].bounce = largest > 0 ? min(1 - 1e-9, factor * startBounce[k]) : bounced
            result[k].share = rates[k].share * (1 - bounced) / (1 - result[k].bounce)
        }
        let total = result.reduce(0) { $0 + $1.share }
        for k in result.indices { result[k].share /= max(total, 1e-12) }
        return result
    }
}
