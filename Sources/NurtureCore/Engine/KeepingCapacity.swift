/// Assignment that keeps the storage already allocated, for states reset many times over (see
/// `LeadState.reset(to:)`). Empty sides are left alone, which is the common case: a starting state
/// has empty buffers, and clearing one that is already empty would still cost a call.
extension Array {
    mutating func assignKeepingCapacity(_ other: Self) {
        if !isEmpty { removeAll(keepingCapacity: true) }
        if !other.isEmpty { append(contentsOf: other) }
    }
}

extension Set {
    mutating func assignKeepingCapacity(_ other: Self) {
        if !isEmpty { removeAll(keepingCapacity: true) }
        if !other.isEmpty { formUnion(other) }
    }
}
