/// Why a test could not get what it needs to run: a program or server missing or not ready, no
/// free port. Thrown rather than skipped, so the test fails and says what to install.
public struct SetupFailure: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
