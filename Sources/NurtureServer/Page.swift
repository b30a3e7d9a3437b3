import Foundation
import Hummingbird
import NurtureMail

/// The service's answers: small self-contained pages and plain text, never cached.
enum Page {
    static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        response(text, type: "text/plain; charset=utf-8", status: status)
    }

    /// A page with a title and an HTML body (already escaped by the caller).
    static func html(title: String, body: String, status: HTTPResponse.Status = .ok) -> Response {
        let page = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex"><title>\(escape(title))</title>
            <style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#1d2330}
            button{font:inherit;padding:.6rem 1.2rem;border-radius:.4rem;border:1px solid #1d2330;background:#1d2330;color:#fff;cursor:pointer}</style>
            </head><body>\(body)</body></html>

            """
        return response(page, type: "text/html; charset=utf-8", status: status)
    }

    static func response(_ text: String, type: String, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        headers[.init("X-Content-Type-Options")!] = "nosniff"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func escape(_ text: String) -> String { HTMLDocument.escape(text) }
}
