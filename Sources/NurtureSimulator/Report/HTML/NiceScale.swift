/// A y axis from zero to a round number, in at most five round steps.
struct NiceScale {
    let top: Int
    let step: Int

    init(_ peak: Int) {
        let peak = max(1, peak)
        var magnitude = 1
        while true {
            for factor in [1, 2, 5] {
                let step = factor * magnitude
                let steps = (peak + step - 1) / step
                if steps <= 5 {
                    self.step = step
                    self.top = steps * step
                    return
                }
            }
            magnitude *= 10
        }
    }
}
