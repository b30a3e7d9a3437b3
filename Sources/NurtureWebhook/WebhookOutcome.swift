/// What a webhook answer means for the notice: the same three ways a relay's reply goes.
public enum WebhookOutcome: Equatable, Sendable {
    case delivered
    /// Try again later with backoff: no answer, a timeout (408), too many requests (429) or a
    /// server error (5xx).
    case transient
    /// The receiver refused it (another 4xx, or a redirect, which is never followed): retrying
    /// would get the same answer.
    case permanent

    public static func of(_ response: WebhookPoster.Response) -> WebhookOutcome {
        switch response.status {
        case 200..<300: response.error == nil ? .delivered : .transient
        case 0, 408, 429, 500..<600: .transient
        default: .permanent
        }
    }
}
