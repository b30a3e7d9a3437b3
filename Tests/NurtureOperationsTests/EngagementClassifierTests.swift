import Foundation
import NurtureOperations
import Testing

/// The machine-event rules, one test per rule, each beside the nearest person's request that the
/// rule must leave alone.
@Suite struct EngagementClassifierTests {
    static let delivered = Date(timeIntervalSince1970: 1_772_528_400)
    static let browser = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"

    /// A person's GET from a browser, ten minutes after delivery, on a message with three links.
    static func facts(
        _ kind: EngagementClassifier.Kind = .click(link: 0), method: EngagementClassifier.Method = .get, agent: String? = browser,
        address: String? = "203.0.113.7", after seconds: TimeInterval = 600, earlier: [(link: Int, at: Date)] = [], links: Int = 3
    ) -> EngagementClassifier.Facts {
        EngagementClassifier.Facts(
            kind: kind, method: method, userAgent: agent, remoteAddress: address, deliveredAt: delivered, linkCount: links,
            earlierClicks: earlier, now: delivered.addingTimeInterval(seconds))
    }

    static func classify(_ facts: EngagementClassifier.Facts) -> EngagementClassifier.Verdict { EngagementClassifier.classify(facts) }

    @Test func aPersonsOpenAndClickFromABrowserAreHuman() {
        #expect(Self.classify(Self.facts(.open)) == .human)
        #expect(Self.classify(Self.facts()) == .human)
    }

    @Test func aHEADRequestIsAMachines() {
        #expect(Self.classify(Self.facts(method: .head)) == .machine(.headRequest))
        #expect(Self.classify(Self.facts(.open, method: .head)) == .machine(.headRequest))
    }

    @Test func noUserAgentIsAMachines() {
        #expect(Self.classify(Self.facts(agent: nil)) == .machine(.noUserAgent))
        #expect(Self.classify(Self.facts(.open, agent: "  ")) == .machine(.noUserAgent))
    }

    @Test func opensThroughGoogleYahooAndApplesImageFetchersAreMachines() {
        let gmail = "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"
        let yahoo = "YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html"
        for agent in [gmail, yahoo, "Mozilla/5.0"] {
            #expect(Self.classify(Self.facts(.open, agent: agent)) == .machine(.privacyProxyAgent), "\(agent)")
        }
        // A click is not an image fetch: the same agents are judged by the click rules.
        #expect(Self.classify(Self.facts(agent: gmail)) == .human)
    }

    @Test func opensFromApplesNetworksAreMachines() {
        for address in ["17.58.100.3", "2620:149:a16:f000::1"] {
            #expect(Self.classify(Self.facts(.open, address: address)) == .machine(.privacyProxyAddress), "\(address)")
        }
        for address in ["18.58.100.3", "2620:14a::1", "not an address"] {
            #expect(Self.classify(Self.facts(.open, address: address)) == .human, "\(address)")
        }
    }

    @Test func aClickOneSecondAfterDeliveryIsAMachines() {
        #expect(EngagementClassifier.deliveryGrace == 10)
        #expect(Self.classify(Self.facts(after: 1)) == .machine(.soonAfterDelivery))
        #expect(Self.classify(Self.facts(after: 9.9)) == .machine(.soonAfterDelivery))
        #expect(Self.classify(Self.facts(after: 10)) == .human)
        // Opens are not timed: a person may open at once.
        #expect(Self.classify(Self.facts(.open, after: 1)) == .human)
    }

    @Test func aBurstOverTheLinksOfOneMessageIsAMachines() {
        let now = Self.delivered.addingTimeInterval(600)
        let twoEarlier = [(link: 0, at: now.addingTimeInterval(-2)), (link: 1, at: now.addingTimeInterval(-1))]
        #expect(Self.classify(Self.facts(.click(link: 2), earlier: twoEarlier)) == .machine(.linkBurst))
        // Every link of a two-link message, within the window.
        #expect(Self.classify(Self.facts(.click(link: 1), earlier: [(0, now.addingTimeInterval(-1))], links: 2)) == .machine(.linkBurst))
        // The same link again, or two links of three, or clicks older than the window: a person.
        #expect(Self.classify(Self.facts(.click(link: 0), earlier: [(0, now.addingTimeInterval(-1)), (0, now.addingTimeInterval(-2))])) == .human)
        #expect(Self.classify(Self.facts(.click(link: 1), earlier: [(0, now.addingTimeInterval(-1))])) == .human)
        let older = [(link: 0, at: now.addingTimeInterval(-20)), (link: 1, at: now.addingTimeInterval(-6))]
        #expect(Self.classify(Self.facts(.click(link: 2), earlier: older)) == .human)
        // A message with one link cannot burst.
        #expect(Self.classify(Self.facts(.click(link: 0), earlier: [(0, now.addingTimeInterval(-1))], links: 1)) == .human)
    }
}
