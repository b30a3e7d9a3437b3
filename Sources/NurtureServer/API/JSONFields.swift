import Foundation
import Hummingbird

/// The JSON object a rep route takes as its body, read field by field so that a refusal names the
/// field. Bodies are small: at most 16 KiB, and every string has a stated longest length.
struct JSONFields {
    static let maxBytes = 16 * 1024

    let object: [String: Any]

    /// The body as an object; an empty body is an object without fields.
    static func read(_ request: Request) async throws -> JSONFields {
        let tooLarge = APIRefusal("the body is larger than \(maxBytes) bytes", .contentTooLarge)
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBytes { throw tooLarge }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBytes)
        } catch {
            throw tooLarge
        }
        guard body.readableBytes > 0 else { return JSONFields(object: [:]) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] else {
            throw APIRefusal("the body must be a JSON object", .badRequest)
        }
        return JSONFields(object: object)
    }

    /// A string field: nil when absent (or null), refused when required and absent, empty, not a
    /// string, or longer than `maxLength` characters.
    func string(_ name: String, required: Bool, maxLength: Int) throws -> String? {
        guard let value = object[name], !(value is NSNull) else {
            if required { throw APIRefusal("'\(name)' is required", .badRequest) }
            return nil
        }
        guard let text = value as? String, !text.isEmpty else { throw APIRefusal("'\(name)' must be a non-empty string", .badRequest) }
        guard text.count <= maxLength else { throw APIRefusal("'\(name)' is \(text.count) characters; at most \(maxLength)", .badRequest) }
        return text
    }
}
