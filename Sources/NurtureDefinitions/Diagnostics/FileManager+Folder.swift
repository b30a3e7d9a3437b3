import Foundation

extension FileManager {
    /// Whether a folder exists at `path`: asked before a command reads a definitions folder or
    /// writes into one, so that a mistyped path gets its own message.
    public func isFolder(atPath path: String) -> Bool {
        var isFolder: ObjCBool = false
        return fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
    }
}
