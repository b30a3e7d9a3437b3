import Foundation

/// The `nurture` executable built with the tests, so they check the command line users run.
public enum NurtureCLI {
    /// Beside the test bundle (on Linux it is itself an executable in the build products folder),
    /// else in `.build/debug`.
    private static let binary: URL? = {
        var folders: [URL] = []
        if let executable = Bundle.main.executableURL { folders.append(executable.deletingLastPathComponent()) }
        folders.append(Bundle.main.bundleURL)
        folders.append(Bundle.main.bundleURL.deletingLastPathComponent())
        if let first = CommandLine.arguments.first, first.contains("/") {
            folders.append(URL(fileURLWithPath: first).deletingLastPathComponent())
        }
        folders.append(PackageFolders.root.appendingPathComponent(".build/debug"))
        return folders.map { $0.appendingPathComponent("nurture") }.first { candidate in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory) && !isDirectory.boolValue
                && FileManager.default.isExecutableFile(atPath: candidate.path)
        }
    }()

    /// The binary's path, for a test that starts it as a ``ChildProcess``.
    public static func path() throws -> String {
        guard let binary else {
            throw SetupFailure("the nurture executable was not found next to the tests or in .build/debug; build it first")
        }
        try testKeyring.get()
        return binary.path
    }

    /// A keyring for the commands that sign links (`run`, `tick`, `send-test`), made once with
    /// `nurture keys create` and named to every child process through `NURTURE_KEYS`.
    private static let testKeyring: Result<Void, SetupFailure> = {
        guard let binary else { return .failure(SetupFailure("the nurture executable was not found")) }
        do {
            let folder = try TemporaryFolder.make("nurture-keys")
            let path = folder.appendingPathComponent("nurture.keys").path
            let created = try ToolRun.run(binary.path, ["keys", "create", "--keys", path])
            guard created.status == 0 else { return .failure(SetupFailure("nurture keys create failed: \(created.stderr)")) }
            setenv("NURTURE_KEYS", path, 1)
            return .success(())
        } catch {
            return .failure(SetupFailure("cannot make the tests' keyring: \(error)"))
        }
    }()

    /// Runs `nurture` to completion in `directory` (the package root, so relative paths such as
    /// `sequences` name the shipped files).
    public static func run(_ arguments: [String], in directory: URL = PackageFolders.root) throws -> ToolRun {
        try ToolRun.run(try path(), arguments, in: directory)
    }
}
