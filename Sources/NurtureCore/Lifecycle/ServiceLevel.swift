import Foundation

/// A promise one team makes the other about leads in a stage: "sales accepts or rejects every MQL
/// within 8 business hours".
public struct ServiceLevel: Hashable, Sendable {
    /// How long the team has, in elapsed or business time.
    public enum Allowance: Hashable, Sendable, CustomStringConvertible {
        case elapsed(TimeSpan)
        case businessHours(Int)
        case businessDays(Int)

        /// Parses `2d`, `8 business hours`, `2 business days`.
        public init?(parsing text: String) {
            let words = text.lowercased().split(separator: " ").map(String.init)
            if words.count == 3, words[1] == "business", let n = Int(words[0]), n > 0 {
                switch words[2] {
                case "hour", "hours": self = .businessHours(n)
                case "day", "days": self = .businessDays(n)
                default: return nil
                }
            } else if words.count == 1, let span = TimeSpan(parsing: words[0]), span.isPositive {
                self = .elapsed(span)
            } else {
                return nil
            }
        }

        public var description: String {
            switch self {
            case let .elapsed(span): span.spelledOut
            case let .businessHours(n): n == 1 ? "1 business hour" : "\(n) business hours"
            case let .businessDays(n): n == 1 ? "1 business day" : "\(n) business days"
            }
        }

        /// The deadline for something that started at `start`.
        public func deadline(from start: Date, businessHours: SendWindow) -> Date {
            switch self {
            case let .elapsed(span):
                return ZoneClock(businessHours.timeZone).adding(span, to: start)
            case let .businessHours(hours):
                return businessHours.adding(windowSeconds: hours * 3600, to: start, leadZone: nil)
            case let .businessDays(days):
                let day = businessHours.closes - businessHours.opens
                return businessHours.adding(windowSeconds: days * day, to: start, leadZone: nil)
            }
        }
    }

    public var stage: String
    public var owner: Stage.Team
    public var promise: String
    public var within: Allowance

    public init(stage: String, owner: Stage.Team, promise: String, within: Allowance) {
        self.stage = stage
        self.owner = owner
        self.promise = promise
        self.within = within
    }
}
