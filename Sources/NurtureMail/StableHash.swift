import NurtureBasics

/// A 128-bit digest from two FNV-1a lanes, as 32 hex digits: the same input gives the same
/// Message-ID and MIME boundary on every attempt and every machine.
enum StableHash {
    static func hex(_ text: String) -> String {
        var first = FNV1a(), second = FNV1a(basis: 0x8422_2325_CBF2_9CE4, increment: 0x9E37_79B9_7F4A_7C15)
        for byte in text.utf8 {
            first.add(byte)
            second.add(byte)
        }
        return hex(first.value) + hex(second.value)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
