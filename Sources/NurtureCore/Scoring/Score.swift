import Foundation

/// A lead's engagement points, kept as one decayed sum plus the state of each event type's cap.
///
/// Decay is applied when the score is read or changed: `value(at:)` equals the sum of every
/// awarded point times `0.5^(age / half-life)`, without keeping the history.
public struct Score: Hashable, Sendable, Codable {
    /// Engagement points as of `asOf`.
    public internal(set) var points: Double = 0
    public internal(set) var asOf: Date
    /// Per capped event type, by kind ordinal: when its current period started and how many points
    /// it used. Empty until the first capped event, then one slot per kind.
    @_spi(EngineSnapshot) public internal(set) var capPeriods: [CapPeriod?] = []

    @_spi(EngineSnapshot) public struct CapPeriod: Hashable, Sendable, Codable {
        public var start: Date
        public var used: Double

        public init(start: Date, used: Double) {
            self.start = start
            self.used = used
        }
    }

    /// Slots in a cap-period table: one per kind of event.
    private static let capSlots = EngagementEvent.Kind.allCases.count

    public init(at start: Date) { asOf = start }

    /// A score as the store kept it.
    @_spi(EngineSnapshot) public init(points: Double, asOf: Date, capPeriods: [CapPeriod?]) {
        self.points = points
        self.asOf = asOf
        self.capPeriods = capPeriods
    }

    /// Engagement points decayed to `now`.
    public func value(at now: Date, model: ScoringModel) -> Double {
        // Nothing to decay (most leads most of the time): no `exp2`.
        guard points != 0 else { return points }
        return points * model.decayFactor(over: now.timeIntervalSince(asOf))
    }

    /// Makes this score equal to `other`, keeping the buffer it already has (see `LeadState.reset(to:)`).
    mutating func reset(to other: Score) {
        points = other.points
        asOf = other.asOf
        // Emptied in one go: a table has a slot per kind, too many to pop one at a time as the
        // short arrays of a state are.
        if !capPeriods.isEmpty { capPeriods.removeAll(keepingCapacity: true) }
        if !other.capPeriods.isEmpty { capPeriods.append(contentsOf: other.capPeriods) }
    }

    /// Adds points for an event, after its cap. Returns the points actually awarded.
    @discardableResult
    public mutating func award(_ event: EngagementEvent, at now: Date, model: ScoringModel) -> Double {
        award(event, at: now, model: model, decayedValue: nil)
    }

    /// `award`, for a caller that may already have decayed the points to `now`: `decayedValue`, when
    /// given, must be `value(at: now, model: model)`.
    @discardableResult
    mutating func award(_ event: EngagementEvent, at now: Date, model: ScoringModel, decayedValue: Double?) -> Double {
        let offered = model.points(for: event)
        guard offered != 0 else { return 0 }
        var awarded = offered
        if offered > 0, let cap = model.cap(for: event.kind) {
            // Appended rather than assigned, so that a state reset with `reset(to:)` fills its kept capacity.
            // Filled slot by slot: appending a shared table of nils retained and released it, and
            // every simulation worker wrote that one reference count.
            if capPeriods.isEmpty { for _ in 0..<Self.capSlots { capPeriods.append(nil) } }
            let slot = event.kind.ordinal
            var period = capPeriods[slot] ?? CapPeriod(start: now, used: 0)
            if now.timeIntervalSince(period.start) >= cap.per.nominalSeconds {
                period = CapPeriod(start: now, used: 0)
            }
            awarded = min(offered, max(0, cap.points - period.used))
            period.used += awarded
            capPeriods[slot] = period
        }
        adjust(by: awarded, at: now, decayedValue: decayedValue ?? value(at: now, model: model))
        return awarded
    }

    /// Adds (or removes) points directly, as a sequence's score step does.
    public mutating func adjust(by delta: Double, at now: Date, model: ScoringModel) {
        adjust(by: delta, at: now, decayedValue: value(at: now, model: model))
    }

    /// `adjust`, for a caller that has decayed the points to `now` already: `decayedValue` must be
    /// `value(at: now, model:)`, which costs an `exp2`.
    mutating func adjust(by delta: Double, at now: Date, decayedValue: Double) {
        guard delta != 0 || now > asOf else { return }
        points = decayedValue + delta
        asOf = max(asOf, now)
    }
}
