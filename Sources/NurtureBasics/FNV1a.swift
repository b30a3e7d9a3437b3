/// The FNV-1a hash over bytes, 64 bits: stable across runs, processes and machines (unlike
/// `Hasher`), for everything that must come out the same every time: Message-IDs and MIME
/// boundaries, retry jitter, the simulator's result digest.
public struct FNV1a: Sendable {
    public static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
    public static let prime: UInt64 = 0x0000_0100_0000_01B3

    public private(set) var value: UInt64
    /// Added after each byte's multiplication; zero for FNV-1a proper. A second lane with its own
    /// basis and increment widens a digest without hashing the input twice by another method.
    private let increment: UInt64

    public init(basis: UInt64 = offsetBasis, increment: UInt64 = 0) {
        value = basis
        self.increment = increment
    }

    public mutating func add(_ byte: UInt8) { add(word: UInt64(byte)) }

    /// Folds in a whole word at once, as one step of the hash (a retry's attempt number).
    public mutating func add(word: UInt64) {
        value = (value ^ word) &* Self.prime &+ increment
    }

    public mutating func add(_ bytes: some Sequence<UInt8>) {
        for byte in bytes { add(byte) }
    }
}
