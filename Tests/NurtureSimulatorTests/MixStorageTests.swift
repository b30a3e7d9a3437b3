import NurturePersonas
import Testing

/// A worker reads its own copy of each mix (`Mix.withOwnStorage()`), so that threads write no shared
/// reference count; the copy must draw exactly as the mix does.
@Suite("Mix storage")
struct MixStorageTests {
    @Test("a mix in storage of its own draws the same value for every uniform")
    func ownStorageDrawsTheSame() {
        // Weights whose cumulative shares (0.5, 0.75, 0.875, 1) are exact in binary.
        let mix = Mix([("pricing", 4), ("demo", 2), ("case-study", 1), ("careers", 1)])!
        let own = mix.withOwnStorage()
        #expect(own.values == mix.values)
        for step in 0..<10_000 {
            let uniform = Double(step) / 10_000
            #expect(own.index(for: uniform) == mix.index(for: uniform))
        }
        #expect(own.index(for: 0.4999999) == 0 && own.index(for: 0.5) == 1 && own.index(for: 0.875) == 3)
        own.values.withUnsafeBufferPointer { ownBuffer in
            mix.values.withUnsafeBufferPointer { #expect(ownBuffer.baseAddress != $0.baseAddress) }
        }
    }
}
