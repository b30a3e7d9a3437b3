extension Backtest {
    /// How a lead's hand-off would move: sooner, later, about the same (within an hour), or only
    /// one way.
    enum Change: Equatable {
        case sooner(days: Double), later(days: Double), same, lost, new, neither

        init(_ result: LeadResult) {
            switch (result.recordedHandOff, result.wouldHandOff, result.handOffShiftDays) {
            case let (.some, .some, shift?):
                if abs(shift) < 1.0 / 24 { self = .same } else { self = shift < 0 ? .sooner(days: -shift) : .later(days: shift) }
            case (.some, _, _): self = .lost
            case (nil, .some, _): self = .new
            default: self = .neither
            }
        }

        var text: String {
            switch self {
            case let .sooner(days): String(format: "%.1f days sooner", days)
            case let .later(days): String(format: "%.1f days later", days)
            case .same: "within the hour"
            case .lost: "not handed off"
            case .new: "new hand-off"
            case .neither: "-"
            }
        }
    }

    /// Of the leads handed off by both: how many the sequence would hand off sooner, later, and
    /// within the hour of the recorded hand-off.
    var handOffMoves: (sooner: Int, later: Int, same: Int) {
        var moves = (sooner: 0, later: 0, same: 0)
        for result in results {
            switch Change(result) {
            case .sooner: moves.sooner += 1
            case .later: moves.later += 1
            case .same: moves.same += 1
            case .lost, .new, .neither: break
            }
        }
        return moves
    }
}
