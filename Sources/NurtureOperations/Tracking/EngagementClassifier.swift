import Foundation

/// Whether a tracked open or click was a person's or a machine's, and by which rule. A pure
/// function of the facts of one request: privacy proxies fetch every image and mail scanners
/// follow every link, and neither is interest, so the engine must not score them.
///
/// The rules, in the order they are tried (the first that matches decides):
///
/// | rule | matches |
/// | --- | --- |
/// | `head-request` | a `HEAD` request: browsers send `GET`; scanners check links with `HEAD` |
/// | `no-user-agent` | no `User-Agent` header, or an empty one |
/// | `privacy-proxy-agent` | an open whose user agent contains `GoogleImageProxy` (Gmail), `YahooMailProxy` (Yahoo), or is exactly `Mozilla/5.0` (Apple Mail Privacy Protection's fetcher) |
/// | `privacy-proxy-address` | an open from Apple's own networks, `17.0.0.0/8` and `2620:149::/32`, where Mail Privacy Protection fetches from |
/// | `soon-after-delivery` | a click less than ``deliveryGrace`` (10 s) after the relay accepted the message |
/// | `link-burst` | a click that, with the clicks on the same message in the ``burstWindow`` (5 s) before it, makes ``burstLinks`` (3) distinct links, or every link of a message with 2 |
public enum EngagementClassifier {
    public enum Method: Sendable, Equatable {
        case get, head
    }

    public enum Kind: Sendable, Equatable {
        case open
        /// A click on the link with this index in the message.
        case click(link: Int)
    }

    /// A machine rule that fired; its raw value is what the store keeps and the docs name.
    public enum Rule: String, Sendable, CaseIterable {
        case headRequest = "head-request"
        case noUserAgent = "no-user-agent"
        case privacyProxyAgent = "privacy-proxy-agent"
        case privacyProxyAddress = "privacy-proxy-address"
        case soonAfterDelivery = "soon-after-delivery"
        case linkBurst = "link-burst"
    }

    public enum Verdict: Sendable, Equatable {
        case human
        case machine(Rule)
    }

    /// What is known about one request.
    public struct Facts: Sendable {
        public var kind: Kind
        public var method: Method
        public var userAgent: String?
        /// The client's address as text (IPv4 dotted or IPv6), when known.
        public var remoteAddress: String?
        /// When the relay accepted the message; nil when unknown.
        public var deliveredAt: Date?
        /// How many tracked links the message has.
        public var linkCount: Int
        /// The earlier clicks on the same message (at least those in the last ``burstWindow``).
        public var earlierClicks: [(link: Int, at: Date)]
        public var now: Date

        public init(
            kind: Kind, method: Method, userAgent: String?, remoteAddress: String?, deliveredAt: Date?, linkCount: Int,
            earlierClicks: [(link: Int, at: Date)], now: Date
        ) {
            self.kind = kind
            self.method = method
            self.userAgent = userAgent
            self.remoteAddress = remoteAddress
            self.deliveredAt = deliveredAt
            self.linkCount = linkCount
            self.earlierClicks = earlierClicks
            self.now = now
        }
    }

    /// A click sooner than this after delivery is a scanner's: no person reads an email that fast.
    public static let deliveryGrace: TimeInterval = 10
    /// Distinct links of one message clicked within ``burstWindow`` that make a burst.
    public static let burstLinks = 3
    public static let burstWindow: TimeInterval = 5

    /// User-agent fragments of the image proxies that fetch every open.
    static let proxyAgents = ["GoogleImageProxy", "YahooMailProxy"]
    /// Apple Mail Privacy Protection's fetcher sends this and nothing more.
    static let appleFetcherAgent = "Mozilla/5.0"

    public static func classify(_ facts: Facts) -> Verdict {
        if facts.method == .head { return .machine(.headRequest) }
        guard let agent = facts.userAgent?.trimmingCharacters(in: .whitespaces), !agent.isEmpty else {
            return .machine(.noUserAgent)
        }
        switch facts.kind {
        case .open:
            if agent == appleFetcherAgent || proxyAgents.contains(where: { agent.contains($0) }) {
                return .machine(.privacyProxyAgent)
            }
            if let address = facts.remoteAddress, isApple(address) { return .machine(.privacyProxyAddress) }
            return .human
        case let .click(link):
            if let delivered = facts.deliveredAt, facts.now.timeIntervalSince(delivered) < deliveryGrace {
                return .machine(.soonAfterDelivery)
            }
            let recent = facts.earlierClicks.filter { facts.now.timeIntervalSince($0.at) <= burstWindow }
            let distinct = Set(recent.map(\.link) + [link]).count
            if distinct >= min(burstLinks, max(2, facts.linkCount)) { return .machine(.linkBurst) }
            return .human
        }
    }

    /// Whether an address is in `17.0.0.0/8` or `2620:149::/32`.
    static func isApple(_ address: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { $0[0] } == 17
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return false }
        return withUnsafeBytes(of: &v6) { Array($0.prefix(4)) } == [0x26, 0x20, 0x01, 0x49]
    }
}
