import CCurl
import Foundation

/// One connection to the relay: a libcurl easy handle, reused from one message to the next so that
/// the TCP and TLS session stay open. Not thread-safe: one sender thread owns it.
final class SMTPConnection {
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    /// The message being uploaded and how far the upload has got.
    private var upload: [UInt8] = []
    private var offset = 0
    /// The relay's reply lines for the current message, as received; read only when it failed.
    private var replies: [UInt8] = []
    /// What the handle was last set up with, so a batch to one sender and recipient sets it once.
    private var currentFrom: String?
    private var currentRecipients: [String] = []
    private var recipientList: UnsafeMutablePointer<curl_slist>?

    struct SetupFailure: Error, CustomStringConvertible {
        var description: String
    }

    init(_ relay: RelayConfiguration) throws {
        guard let handle = curl_easy_init() else { throw SetupFailure(description: "libcurl could not create a handle") }
        self.handle = handle
        errorBuffer.initialize(to: 0)
        let context = Unmanaged.passUnretained(self).toOpaque()
        var codes = [
            nurture_curl_set_string(handle, CURLOPT_URL, relay.url),
            nurture_curl_set_long(handle, CURLOPT_UPLOAD, 1),
            nurture_curl_set_long(handle, CURLOPT_NOSIGNAL, 1),
            nurture_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(relay.connectTimeout)),
            nurture_curl_set_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(relay.transferTimeout)),
            nurture_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer),
            nurture_curl_set_read_function(handle, Self.read),
            nurture_curl_set_pointer(handle, CURLOPT_READDATA, context),
            nurture_curl_set_header_function(handle, Self.reply),
            nurture_curl_set_pointer(handle, CURLOPT_HEADERDATA, context),
        ]
        switch relay.security {
        case .startTLSRequired: codes.append(nurture_curl_set_long(handle, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)))
        case .implicitTLS, .none: break
        }
        if let credentials = relay.credentials {
            codes.append(nurture_curl_set_string(handle, CURLOPT_USERNAME, credentials.username))
            codes.append(nurture_curl_set_string(handle, CURLOPT_PASSWORD, credentials.password))
        }
        if let failed = codes.first(where: { $0 != CURLE_OK }) {
            curl_easy_cleanup(handle)
            throw SetupFailure(description: "libcurl refused an option: \(String(cString: curl_easy_strerror(failed)))")
        }
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(recipientList)
        errorBuffer.deallocate()
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds) * 1000 + Int(duration.components.attoseconds / 1_000_000_000_000_000)
    }

    /// Runs one SMTP transaction and says what became of it.
    func send(_ message: OutgoingMessage) -> DeliveryResult {
        upload = message.bytes
        offset = 0
        replies.removeAll(keepingCapacity: true)
        errorBuffer[0] = 0
        if message.from != currentFrom {
            _ = nurture_curl_set_string(handle, CURLOPT_MAIL_FROM, "<\(message.from)>")
            currentFrom = message.from
        }
        if message.recipients != currentRecipients {
            // libcurl keeps a pointer to the list, so it must outlive the transfers that use it.
            let previous = recipientList
            recipientList = nil
            for recipient in message.recipients { recipientList = curl_slist_append(recipientList, recipient) }
            _ = nurture_curl_set_slist(handle, CURLOPT_MAIL_RCPT, recipientList)
            curl_slist_free_all(previous)
            currentRecipients = message.recipients
        }
        let code = curl_easy_perform(handle)
        var replyCode = 0
        _ = nurture_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &replyCode)
        if code == CURLE_OK {
            // The reply to the end of DATA, without its code, like a failure's text.
            let accepted = replyCode > 0 ? replyCode : 250
            return DeliveryResult(outcome: .delivered, stage: .done, code: accepted, text: Self.reply(coded: accepted, in: replies))
        }
        let error = errorBuffer[0] != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
        return ReplyClassifier.classify(.init(
            curlCode: Int(code.rawValue), replyCode: replyCode, replyText: Self.reply(coded: replyCode, in: replies),
            errorText: error.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// The text of the last reply line that carries `code` (not the QUIT reply that may follow a
    /// failure): "550 5.1.1 User unknown" -> "5.1.1 User unknown".
    static func reply(coded code: Int, in bytes: [UInt8]) -> String {
        if code > 0, let line = lastLine(startingWith: code, in: bytes) { return line }
        let lines = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline)
        let prefix = String(code)
        guard code > 0, let line = lines.last(where: { $0.hasPrefix(prefix) }) else { return lines.last.map(String.init) ?? "" }
        return String(line.dropFirst(4)).trimmingCharacters(in: .whitespaces)
    }

    /// The usual case, read straight from the bytes: the wanted reply is the last line, in plain
    /// ASCII (every accepted message's reply is; a line in any other shape goes the general way).
    private static func lastLine(startingWith code: Int, in bytes: [UInt8]) -> String? {
        func isLineEnd(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") }
        var end = bytes.endIndex
        while end > bytes.startIndex, isLineEnd(bytes[end - 1]) { end -= 1 }
        let start = bytes[..<end].lastIndex(where: isLineEnd).map { $0 + 1 } ?? bytes.startIndex
        var line = bytes[start..<end]
        guard line.count >= 3, line.allSatisfy({ (0x20..<0x7F).contains($0) }),
              line.prefix(3).elementsEqual(String(code).utf8) else { return nil }
        line = line.dropFirst(4)
        while let first = line.first, first == UInt8(ascii: " ") { line = line.dropFirst() }
        while let last = line.last, last == UInt8(ascii: " ") { line = line.dropLast() }
        return String(decoding: line, as: UTF8.self)
    }

    /// libcurl asks for the next piece of the message.
    private static let read: curl_read_callback = { buffer, size, count, context in
        guard let buffer, let context else { return 0 }
        let connection = Unmanaged<SMTPConnection>.fromOpaque(context).takeUnretainedValue()
        let length = min(size * count, connection.upload.count - connection.offset)
        connection.upload.withUnsafeBufferPointer { bytes in
            UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + connection.offset, byteCount: length)
        }
        connection.offset += length
        return length
    }

    /// libcurl hands over each reply line from the relay; keep the bytes, decode only on failure.
    private static let reply: curl_write_callback = { data, size, count, context in
        guard let data, let context else { return 0 }
        let connection = Unmanaged<SMTPConnection>.fromOpaque(context).takeUnretainedValue()
        let length = size * count
        data.withMemoryRebound(to: UInt8.self, capacity: length) {
            connection.replies.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
        }
        return length
    }
}
