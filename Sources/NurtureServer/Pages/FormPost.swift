import Foundation
import Hummingbird
import NurtureTokens

/// The fields the pages' forms send. All optional, so that a form without its CSRF token is
/// refused as such (403), not as a malformed body.
struct FormFields: Decodable, Sendable {
    var csrf: String?
    var reason: String?
    var lead: String?
    var sequence: String?
    var note: String?
}

/// A form post from a signed-in page: the body read up to the service's limit, and the CSRF token
/// checked in constant time against the session's before anything else happens.
enum FormPost {
    /// The form, or a refusal: 403 without a session or with a missing or wrong token, 413 for a
    /// body over the limit, 400 for a body that is not a form.
    static func read(_ request: Request) async throws -> FormFields {
        guard let secret = SessionCookie.secret(in: request) else { throw PageRefusal.forbidden }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: WebService.maxBodyBytes)
        } catch {
            throw PageRefusal(status: .contentTooLarge, title: "Too long", message: "The form is larger than \(WebService.maxBodyBytes) bytes.")
        }
        let fields: FormFields
        do {
            fields = try URLEncodedFormDecoder().decode(FormFields.self, from: String(buffer: body))
        } catch {
            throw PageRefusal(status: .badRequest, title: "Not a form", message: "The request did not carry a form.")
        }
        guard secret.checksCSRF(fields.csrf) else { throw PageRefusal.forbidden }
        return fields
    }
}
