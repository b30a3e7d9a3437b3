import Foundation
import NurtureStore

/// Tracked opens and clicks into the store: each is classified (``EngagementClassifier``) with
/// what the store knows of its message, recorded, and queued for the engine through the lead's
/// inbox as an `email_open` or `email_click` event, category `machine` for a machine's.
public struct TrackingDesk: Sendable {
    public let store: any TrackingStore

    public init(store: any TrackingStore) {
        self.store = store
    }

    /// What the request said about its sender.
    public struct Caller: Sendable {
        public var method: EngagementClassifier.Method
        public var userAgent: String?
        public var remoteAddress: String?

        public init(method: EngagementClassifier.Method, userAgent: String?, remoteAddress: String?) {
            self.method = method
            self.userAgent = userAgent
            self.remoteAddress = remoteAddress
        }
    }

    /// Records a click and returns the stored address of that link of that message with the
    /// verdict; nil (nothing recorded) when the message was not sent to the lead or has no such link.
    public func click(
        leadID: String, messageKey: String, link: Int, caller: Caller, at now: Date
    ) async throws -> (url: String, verdict: EngagementClassifier.Verdict)? {
        let hit = TrackingHit(
            leadID: leadID, messageKey: messageKey, link: link, at: now, clicksSince: now.addingTimeInterval(-EngagementClassifier.burstWindow))
        let recorded = try await store.recordClick(hit) { message in
            EngagementClassifier.classify(Self.facts(.click(link: link), caller, message, now)).rule
        }
        return recorded.map { ($0.url, EngagementClassifier.Verdict(rule: $0.rule)) }
    }

    /// Records an open; nil (nothing recorded) when the message was not sent to the lead.
    public func open(leadID: String, messageKey: String, caller: Caller, at now: Date) async throws -> EngagementClassifier.Verdict? {
        let hit = TrackingHit(leadID: leadID, messageKey: messageKey, link: nil, at: now, clicksSince: now)
        let recorded = try await store.recordOpen(hit) { message in
            EngagementClassifier.classify(Self.facts(.open, caller, message, now)).rule
        }
        return recorded.map(EngagementClassifier.Verdict.init(rule:))
    }

    private static func facts(
        _ kind: EngagementClassifier.Kind, _ caller: Caller, _ message: TrackedMessage, _ now: Date
    ) -> EngagementClassifier.Facts {
        EngagementClassifier.Facts(
            kind: kind, method: caller.method, userAgent: caller.userAgent, remoteAddress: caller.remoteAddress,
            deliveredAt: message.deliveredAt, linkCount: message.linkCount, earlierClicks: message.recentClicks, now: now)
    }
}

extension EngagementClassifier.Verdict {
    /// The rule's name for a machine's event, nil for a person's.
    public var rule: String? {
        if case let .machine(rule) = self { rule.rawValue } else { nil }
    }

    /// The verdict a stored rule name stands for: a person's when there is none.
    init(rule: String?) {
        self = rule.flatMap(EngagementClassifier.Rule.init(rawValue:)).map { .machine($0) } ?? .human
    }
}
