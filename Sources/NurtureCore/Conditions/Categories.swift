/// The categories a lead clicked, visited or filled, as a list in the order first recorded.
///
/// A lead records a handful of categories, and finding a short name among a few costs less than
/// hashing it, which a `Set` did on every click and visit. Equal and hashed as a set: the order of
/// recording does not count.
@_spi(EngineSnapshot) public struct Categories: Hashable, Sendable {
    private var names: [String] = []

    init() {}

    public init(_ names: some Sequence<String>) {
        for name in names { insert(name) }
    }

    var set: Set<String> { Set(names) }

    /// The names in order, as the stored forms write them: the same bytes whatever the order of recording.
    public var sorted: [String] { names.sorted() }

    func contains(_ name: String) -> Bool { names.contains(name) }

    mutating func insert(_ name: String) {
        if !names.contains(name) { names.append(name) }
    }

    /// Makes these categories equal to `other`, keeping the list's storage (see `LeadState.reset(to:)`).
    mutating func reset(to other: Categories) { names.assignKeepingCapacity(other.names) }

    public static func == (lhs: Categories, rhs: Categories) -> Bool {
        lhs.names.count == rhs.names.count && lhs.names.allSatisfy(rhs.contains)
    }

    /// The same for any order of the names, as `==` asks.
    public func hash(into hasher: inout Hasher) {
        var names = 0
        for name in self.names {
            var one = Hasher()
            one.combine(name)
            names ^= one.finalize()
        }
        hasher.combine(self.names.count)
        hasher.combine(names)
    }
}
