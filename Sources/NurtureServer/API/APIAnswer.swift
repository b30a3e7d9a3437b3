import Foundation
import Hummingbird

/// The API's answers: JSON (keys in snake case, times in ISO 8601), never cached, and every
/// refusal as `{"error": "..."}` so a client reads one shape.
enum APIAnswer {
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        let body = String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
        return Page.response(body, type: "application/json", status: status)
    }

    struct Refusal: Encodable {
        var error: String
    }

    static func error(_ message: String, status: HTTPResponse.Status) -> Response {
        // Encoding a struct of one string cannot fail.
        (try? json(Refusal(error: message), status: status)) ?? Page.text(message, status: status)
    }

    /// 401 with the challenge RFC 6750 asks for. It never says whether a token was unknown,
    /// revoked or malformed, nor echoes it.
    static var unauthorized: Response {
        var response = error("a valid bearer token is required (Authorization: Bearer nt_...)", status: .unauthorized)
        response.headers[.wwwAuthenticate] = "Bearer realm=\"nurture\""
        return response
    }
}
