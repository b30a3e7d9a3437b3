import Foundation

/// Where the package's own files are, found from this file's path, so tests read the shipped
/// definitions and examples wherever the checkout lives.
public enum PackageFolders {
    /// The package root (`Tests/NurtureTestSupport/PackageFolders.swift` is three levels below it).
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shipped definitions folder, with symbolic links resolved.
    public static let sequences: URL = root.appendingPathComponent("sequences").resolvingSymlinksInPath()
}
