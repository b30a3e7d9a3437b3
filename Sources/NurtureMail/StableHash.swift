/// A 128-bit FNV-1a digest, as 32 hex digits: the same input gives the same Message-ID and
/// MIME boundary on every attempt and every machine.
enum StableHash {
    static func hex(_ text: String) -> String {
        var first: UInt64 = 0xCBF2_9CE4_8422_2325, second: UInt64 = 0x8422_2325_CBF2_9CE4
        for byte in text.utf8 {
            first = (first ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            second = (second ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 &+ 0x9E37_79B9_7F4A_7C15
        }
        return hex(first) + hex(second)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
