/// Assignment that keeps the storage already allocated, for states reset many times over (see
/// `LeadState.reset(to:)`). An empty source, the common case (a starting state has empty buffers),
/// appends nothing.
extension Array {
    @inline(__always) mutating func assignKeepingCapacity(_ other: Self) {
        // A lead's arrays hold a few elements: popping them costs less than `removeAll(keepingCapacity:)`,
        // which replaces the whole range through the general path.
        while popLast() != nil {}
        if !other.isEmpty { append(contentsOf: other) }
    }
}
