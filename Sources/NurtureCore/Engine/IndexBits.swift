/// A set of step or threshold numbers kept as bits: the engine asks on every step whether an email
/// was sent or a threshold fired, and a mask answers without hashing or allocating. Numbers outside
/// 0..<64 (sequences that long are rare) go to an ordinary set.
@_spi(EngineSnapshot) public struct IndexBits: Hashable, Sendable, Codable {
    public internal(set) var bits: UInt64 = 0
    public internal(set) var others: Set<Int> = []

    init() {}

    /// Numbers as the store kept them.
    public init(bits: UInt64, others: Set<Int>) {
        self.bits = bits
        self.others = others
    }

    init(_ numbers: Set<Int>) {
        for number in numbers { insert(number) }
    }

    /// Inlined: asked on every email step and threshold check, and mostly answered by the mask.
    @inline(__always)
    func contains(_ number: Int) -> Bool {
        (0..<64).contains(number) ? bits & (1 << UInt64(number)) != 0 : others.contains(number)
    }

    /// Inlined, as `contains` is: called for every send, where a call cost more than the bit it sets.
    @inline(__always)
    mutating func insert(_ number: Int) {
        if (0..<64).contains(number) { bits |= 1 << UInt64(number) } else { others.insert(number) }
    }

    /// The numbers as a set, for the public view of an enrollment.
    var set: Set<Int> {
        var result = others
        var rest = bits
        while rest != 0 {
            result.insert(rest.trailingZeroBitCount)
            rest &= rest - 1
        }
        return result
    }
}
