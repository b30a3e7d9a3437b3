/// A place in a definition file.
public struct SourcePosition: Hashable, Sendable {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public func offset(by columns: Int) -> SourcePosition {
        SourcePosition(file: file, line: line, column: column + columns)
    }
}
