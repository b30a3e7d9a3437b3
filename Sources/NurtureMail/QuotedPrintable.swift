/// Quoted-printable body encoding (RFC 2045): 7-bit safe, lines of at most 76 characters, CRLF
/// line ends, trailing spaces protected.
enum QuotedPrintable {
    static let hex = Array("0123456789ABCDEF".utf8)

    static func encode(_ text: String) -> String {
        var output: [UInt8] = []
        encode(text, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the encoding of `text` to `output`, in one pass over its bytes written straight
    /// into place: it is on every send's path, twice.
    static func encode(_ text: String, into output: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            // At worst every byte takes three, plus a soft break for every 25 encoded bytes.
            let bound = bytes.count * 3 + (bytes.count / 25 + 1) * 3
            let start = output.count
            output.append(contentsOf: repeatElement(0, count: bound))
            let written = output.withUnsafeMutableBufferPointer { buffer in
                encode(bytes, into: UnsafeMutableBufferPointer(rebasing: buffer[start...]))
            }
            output.removeLast(bound - written)
        }
    }

    private static func encode(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var count = 0
        func put(_ byte: UInt8) {
            out[count] = byte
            count += 1
        }
        var column = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            // CRLF and a lone LF both end a line.
            if byte == 10 || (byte == 13 && index + 1 < bytes.count && bytes[index + 1] == 10) {
                put(13)
                put(10)
                column = 0
                index += byte == 13 ? 2 : 1
                continue
            }
            let endsLine = index + 1 == bytes.count || bytes[index + 1] == 10
                || (bytes[index + 1] == 13 && index + 2 < bytes.count && bytes[index + 2] == 10)
            var literal = (byte >= 33 && byte <= 126 && byte != 61) || ((byte == 32 || byte == 9) && !endsLine)
            if column + (literal ? 1 : 3) > 75 {
                put(61)  // soft line break
                put(13)
                put(10)
                column = 0
            }
            // A line that starts with "." or "From " is safer encoded (dot-stuffing, mbox).
            if column == 0, byte == 46 || (byte == 70 && startsWithFromSpace(bytes, at: index)) { literal = false }
            if literal {
                put(byte)
                column += 1
            } else {
                put(61)
                put(hex[Int(byte >> 4)])
                put(hex[Int(byte & 15)])
                column += 3
            }
            index += 1
        }
        return count
    }

    private static func startsWithFromSpace(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        index + 5 <= bytes.count && bytes[index + 1] == 114 && bytes[index + 2] == 111 && bytes[index + 3] == 109
            && bytes[index + 4] == 32
    }
}
