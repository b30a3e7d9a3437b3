import Hummingbird

/// A refused API call: its status and the message of its `{"error": ...}` body. Thrown anywhere in
/// a rep route (also from the store's thread) and answered by `answering`.
struct APIRefusal: Error, Sendable {
    var message: String
    var status: HTTPResponse.Status

    init(_ message: String, _ status: HTTPResponse.Status) {
        self.message = message
        self.status = status
    }

    var response: Response { status == .unauthorized ? APIAnswer.unauthorized : APIAnswer.error(message, status: status) }

    /// Runs a route, answering a refusal with its own response.
    static func answering(_ route: () async throws -> Response) async throws -> Response {
        do {
            return try await route()
        } catch let refusal as APIRefusal {
            return refusal.response
        }
    }
}
