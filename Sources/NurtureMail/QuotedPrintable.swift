/// Quoted-printable body encoding (RFC 2045): 7-bit safe, lines of at most 76 characters, CRLF
/// line ends, trailing spaces protected.
enum QuotedPrintable {
    static let hex = Array("0123456789ABCDEF".utf8)

    static func encode(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        for (number, line) in lines.enumerated() {
            if number > 0 { output += [13, 10] }
            var column = 0
            let bytes = Array(line.utf8)
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                let literal = (byte >= 33 && byte <= 126 && byte != 61) || ((byte == 32 || byte == 9) && !isLast)
                // A line that starts with "." or "From " is safer encoded (dot-stuffing, mbox).
                let risky = column == 0 && (byte == 46 || (byte == 70 && bytes[index...].starts(with: Array("From ".utf8))))
                let width = literal && !risky ? 1 : 3
                if column + width > 75 {
                    output.append(contentsOf: [61, 13, 10])  // soft line break
                    column = 0
                }
                if width == 1 {
                    output.append(byte)
                } else {
                    output.append(61)
                    output.append(hex[Int(byte >> 4)])
                    output.append(hex[Int(byte & 15)])
                }
                column += width
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
