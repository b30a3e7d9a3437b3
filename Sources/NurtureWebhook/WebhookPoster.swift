import CCurl
import Foundation

/// Posts a JSON body to a webhook over libcurl and says what the receiver answered. One handle
/// per post: notices are few, and a fresh handle carries nothing over from the last receiver.
public struct WebhookPoster: Sendable {
    /// What the receiver answered: an HTTP status, or why there was none.
    public struct Response: Sendable, Equatable {
        /// The HTTP status, or 0 when the request never got an answer.
        public var status: Int
        public var error: String?

        public init(status: Int, error: String? = nil) {
            self.status = status
            self.error = error
        }
    }

    public var connectTimeout: Duration
    public var transferTimeout: Duration

    public init(connectTimeout: Duration = .seconds(5), transferTimeout: Duration = .seconds(10)) {
        self.connectTimeout = connectTimeout
        self.transferTimeout = transferTimeout
    }

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// Posts `body` with `headers` (each `Name: value`, already checked by the caller).
    public func post(url: String, body: [UInt8], headers: [String]) -> Response {
        Self.globalInit
        guard let handle = curl_easy_init() else { return Response(status: 0, error: "libcurl could not create a handle") }
        defer { curl_easy_cleanup(handle) }
        var list: UnsafeMutablePointer<curl_slist>?
        for header in headers { list = curl_slist_append(list, header) }
        defer { curl_slist_free_all(list) }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }
        return body.withUnsafeBufferPointer { bytes in
            let codes = [
                nurture_curl_set_string(handle, CURLOPT_URL, url),
                // Only the web: a webhook address can never make libcurl read a file or speak another protocol.
                nurture_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"),
                nurture_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 0),
                nurture_curl_set_long(handle, CURLOPT_POST, 1),
                nurture_curl_set_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress)),
                nurture_curl_set_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count)),
                nurture_curl_set_slist(handle, CURLOPT_HTTPHEADER, list),
                nurture_curl_set_long(handle, CURLOPT_NOSIGNAL, 1),
                nurture_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(connectTimeout)),
                nurture_curl_set_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(transferTimeout)),
                nurture_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer),
                // The receiver's body is not read: only its status counts.
                nurture_curl_set_write_function(handle, Self.discard),
            ]
            if let failed = codes.first(where: { $0 != CURLE_OK }) {
                return Response(status: 0, error: "libcurl refused an option: \(String(cString: curl_easy_strerror(failed)))")
            }
            let code = curl_easy_perform(handle)
            var status = 0
            _ = nurture_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
            guard code == CURLE_OK else {
                let text = errorBuffer[0] != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
                return Response(status: status, error: text.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            return Response(status: status, error: nil)
        }
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds) * 1000 + Int(duration.components.attoseconds / 1_000_000_000_000_000)
    }

    private static let discard: curl_write_callback = { _, size, count, _ in size * count }
}
