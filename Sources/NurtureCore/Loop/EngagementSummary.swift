import Foundation

/// What a rep reads with a hand-off: how hot the lead is and why, the last things a person did,
/// what the nurture sent and what came of it, and what is expected of the rep. Made once when the
/// hand-off is recorded, so the rep sees what the engine saw when it decided.
public struct EngagementSummary: Hashable, Sendable, Codable {
    public struct Reason: Hashable, Sendable, Codable {
        public var text: String
        public var points: Double
    }

    public struct Moment: Hashable, Sendable, Codable {
        public var type: String
        public var what: String?
        public var at: Date
        /// The time in the lead's own zone, as a rep would say it: "Tue 3 Mar 10:12 (America/Chicago)".
        public var local: String
    }

    public var score: Double
    public var grade: String
    public var stage: String
    /// The three largest contributions to the score, largest first.
    public var reasons: [Reason]
    /// The last human moments, newest first; machine opens are left out.
    public var lastMoments: [Moment]
    public var emailsSent: Int
    public var emailsOpened: Int
    public var emailsClicked: Int
    public var pagesSeen: [String]
    public var contentCategories: [String]
    public var sequences: [String]
    public var requestedBy: String?
    public var requestNote: String?

    /// How many moments a summary lists.
    public static let momentLimit = 5

    /// An event the tracking system marked as a machine's (a privacy proxy fetching images, a link
    /// scanner): it is kept in the history, never shown or counted as interest.
    public static func isMachine(_ event: EngagementEvent) -> Bool { event.category == "machine" }

    /// The summary of `lead` at `now`, from the engine's state and the recorded history.
    public init(
        lead: Lead, state: LeadState, history: LeadHistory, scoring: ScoringModel, at now: Date,
        requestedBy: String? = nil, requestNote: String? = nil
    ) {
        let human = history.moments.filter { $0.at <= now && !Self.isMachine($0.event) }
        let engagement = state.score.value(at: now, model: scoring)
        score = (state.fitPoints + engagement).rounded()
        grade = state.grade
        stage = state.stage

        // Fit reasons are exact; engagement reasons are each kind of event's points, decayed to
        // now, before caps (the engine keeps one decayed sum, not its parts).
        var candidates = scoring.fitRules.filter { $0.applies(to: lead) && $0.points != 0 }.map { rule in
            Reason(text: "\(rule.attribute): \(lead.attributes[rule.attribute] ?? "")", points: rule.points)
        }
        var byEvent: [String: Double] = [:]
        for moment in human {
            let points = scoring.points(for: moment.event) * scoring.decayFactor(over: now.timeIntervalSince(moment.at))
            guard points != 0 else { continue }
            byEvent[Self.describe(moment.event), default: 0] += points
        }
        candidates += byEvent.map { Reason(text: $0.key, points: $0.value.rounded()) }
        reasons = Array(candidates.sorted { abs($0.points) != abs($1.points) ? abs($0.points) > abs($1.points) : $0.text < $1.text }.prefix(3))

        let zone = lead.timeZone ?? TimeZone(identifier: "UTC")!
        lastMoments = human.suffix(Self.momentLimit).reversed().map { moment in
            Moment(type: moment.event.kind.displayName, what: moment.event.category ?? moment.event.step, at: moment.at,
                   local: Self.local(moment.at, in: zone))
        }
        emailsSent = history.sent.filter { $0.at <= now }.count
        // Emails, not events: opening one email three times is one email opened. An event that
        // names no step counts on its own.
        func distinctEmails(_ kind: EngagementEvent.Kind) -> Int {
            Set(human.filter { $0.event.kind == kind }.map { moment in
                moment.event.step.map { "\(moment.event.sequence ?? "")|\($0)" } ?? "\(moment.at.timeIntervalSince1970)"
            }).count
        }
        emailsOpened = distinctEmails(.emailOpen)
        emailsClicked = distinctEmails(.emailClick)
        pagesSeen = Self.ordered(human.filter { $0.event.kind == .pageVisit }.compactMap(\.event.category))
        contentCategories = Self.ordered(human.filter { $0.event.kind == .emailClick }.compactMap(\.event.category))
        sequences = Self.ordered(state.enrollments.map(\.sequence))
        self.requestedBy = requestedBy
        self.requestNote = requestNote
    }

    /// "email click (case-study)", "page visit (pricing)".
    static func describe(_ event: EngagementEvent) -> String {
        event.category.map { "\(event.kind.displayName) (\($0))" } ?? event.kind.displayName
    }

    /// Distinct values in the order first seen.
    static func ordered(_ values: [String]) -> [String] {
        var seen: [String] = []
        for value in values where !seen.contains(value) { seen.append(value) }
        return seen
    }

    /// "Tue 3 Mar 2026 10:12 America/Chicago".
    public static func local(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: date)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ n: Int?) -> String { let n = n ?? 0; return n < 10 ? "0\(n)" : "\(n)" }
        return "\(weekdays[(parts.weekday ?? 1) - 1]) \(parts.day ?? 0) \(months[(parts.month ?? 1) - 1]) \(parts.year ?? 0) "
            + "\(two(parts.hour)):\(two(parts.minute)) \(zone.identifier)"
    }
}
