import Foundation

/// Scratch folders under the system's temporary folder: a new one for each test, so tests running
/// in parallel never share files. The caller removes it.
public enum TemporaryFolder {
    public static func make(_ prefix: String = "nurture-tests") throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    public static func remove(_ folder: URL) {
        try? FileManager.default.removeItem(at: folder)
    }

    /// Copies the regular files under `source` into `destination` as new files, so nothing written
    /// to the copy can reach the original (not even through a symbolic link).
    public static func copyFiles(of source: URL, to destination: URL) throws {
        let fileManager = FileManager.default
        let source = source.resolvingSymlinksInPath()
        try fileManager.createDirectory(at: destination, withIntermediateDirectories: true)
        let walker = fileManager.enumerator(atPath: source.path)
        while let relative = walker?.nextObject() as? String {
            let from = source.appendingPathComponent(relative).resolvingSymlinksInPath()
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: from.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let to = destination.appendingPathComponent(relative)
            try fileManager.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contentsOf: from).write(to: to)
        }
    }

    /// Writes `text` to `name` inside `folder` (creating the folders on the way) and returns the file's path.
    @discardableResult
    public static func write(_ text: String, to name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}
