import NurtureCore

/// Why an operation was refused. Nothing is changed when one is thrown.
public struct OperationError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
