import NurtureCore
import NurtureWebhook
import Testing

/// The webhook's pure rules: the signature, what an answer means, and which addresses are taken.
@Suite("Webhook rules")
struct WebhookRulesTests {
    @Test func theSignatureIsHMACSHA256OfTheTimestampADotAndTheBody() {
        // Worked out with Python's hmac module.
        let value = WebhookSignature.value(
            body: Array(#"{"kind":"hand_off"}"#.utf8), secret: Array("0123456789abcdef0123".utf8), timestamp: 1_772_460_000)
        #expect(value == "t=1772460000,v1=414798fbf8f154e6908ec5ca2c3ec6a0079866727814efb42fcd0286d574cfab")
    }

    @Test func answersAreDeliveredRetriedOrRefused() {
        func outcome(_ status: Int, _ error: String? = nil) -> WebhookOutcome { .of(.init(status: status, error: error)) }
        #expect(outcome(200) == .delivered && outcome(204) == .delivered)
        #expect(outcome(0, "Failed to connect") == .transient)
        #expect(outcome(200, "Operation timed out") == .transient)
        #expect([408, 429, 500, 502, 503].allSatisfy { outcome($0) == .transient })
        #expect([301, 302, 400, 401, 403, 404, 410, 422].allSatisfy { outcome($0) == .permanent })
    }

    @Test func onlyHTTPSOrThisMachineWithoutCredentialsOrControlCharacters() {
        #expect(WebhookURL.problem("https://crm.example.com/hooks/nurture") == nil)
        #expect(WebhookURL.problem("http://127.0.0.1:8080/hooks") == nil)
        #expect(WebhookURL.problem("http://crm.example.com/hooks") == "must be https (plain http only to this machine)")
        #expect(WebhookURL.problem("file:///etc/passwd") != nil)
        #expect(WebhookURL.problem("gopher://127.0.0.1/") != nil)
        #expect(WebhookURL.problem("https://user:secret@crm.example.com/") == "carries credentials; the signature authenticates the sender")
        #expect(WebhookURL.problem("https://crm.example.com/a\r\nX-Injected: 1") == "contains spaces or control characters")
        #expect(WebhookURL.problem("https://crm.example.com/" + String(repeating: "a", count: 2_000)) == "longer than 2000 characters")
        #expect(WebhookURL.problem("not a url") != nil)
    }
}
