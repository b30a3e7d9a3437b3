/// Assignment that keeps the storage already allocated, for states reset many times over (see
/// `LeadState.reset(to:)`). Empty sides are left alone, which is the common case: a starting state
/// has empty buffers, and clearing one that is already empty would still cost a call.
extension Array {
    @inline(__always) mutating func assignKeepingCapacity(_ other: Self) {
        // A lead's arrays hold a few elements: popping them costs less than `removeAll(keepingCapacity:)`,
        // which replaces the whole range through the general path.
        while popLast() != nil {}
        if !other.isEmpty { append(contentsOf: other) }
    }
}

extension Set {
    @inline(__always) mutating func assignKeepingCapacity(_ other: Self) {
        if !isEmpty { removeAll(keepingCapacity: true) }
        if !other.isEmpty { formUnion(other) }
    }
}
