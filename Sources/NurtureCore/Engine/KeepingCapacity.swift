/// Assignment that keeps the storage already allocated, for states reset many times over (see
/// `LeadState.reset(to:)`).
extension Array {
    @inline(__always) mutating func assignKeepingCapacity(_ other: Self) {
        // A lead's arrays hold a few elements: popping them costs less than `removeAll(keepingCapacity:)`,
        // which replaces the whole range through the general path.
        while popLast() != nil {}
        // One by one: `append(contentsOf:)` copies through the runtime's generic array copy, which
        // costs more than the few elements it copies.
        for element in other { append(element) }
    }
}
