import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts a program with `posix_spawn` and learns how it ended from `waitpid`.
///
/// Not Foundation's `Process`: on Linux it learns that a child ended when a socket it gives the
/// child reaches end of file, and that socket stays open in anything else that holds a copy. A
/// server that another test starts at the same moment can inherit it (the socket is not
/// close-on-exec), and then a killed child looks alive until that server exits, minutes later.
/// Here every descriptor above 2 is closed in the child as it starts, and the kernel says when it
/// ended.
public final class Spawn: @unchecked Sendable {
    public let pid: pid_t
    private let lock = NSLock()
    private var ended: Termination?

    /// How a process ended: its exit status, or the signal that killed it.
    public struct Termination: Sendable, Equatable {
        public var status: Int32
        public var signalled: Bool
    }

    /// Starts `executable` with the given standard descriptors (dup'ed into 0, 1, 2), in its own
    /// process group so a signal meant for the test run does not reach it.
    public init(
        executable: String, arguments: [String], environment: [String: String]?, directory: URL?,
        stdin: Int32, stdout: Int32, stderr: Int32
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        for (source, target) in [(stdin, STDIN_FILENO), (stdout, STDOUT_FILENO), (stderr, STDERR_FILENO)] {
            try Self.check(posix_spawn_file_actions_adddup2(&actions, source, target), "dup2")
        }
        try Self.check(GNUSpawnActions.closeFrom(&actions, 3), "closefrom")
        if let directory { try Self.check(GNUSpawnActions.changeDirectory(&actions, directory.path), "chdir") }
        try Self.check(posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP)), "setflags")

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { env.forEach { free($0) } }
        var pid = pid_t()
        let started = posix_spawn(&pid, executable, &actions, &attributes, argv, env)
        guard started == 0 else { throw SetupFailure("\(executable) did not start: \(String(cString: strerror(started)))") }
        self.pid = pid
    }

    /// How it ended, or nil while it runs; reaps it the first time it is seen ended.
    public var termination: Termination? { reap(blocking: false) }

    /// Blocks until it ends (use after SIGKILL, or for a program that runs to completion).
    @discardableResult
    public func waitForExit() -> Termination {
        // A nil can only come from an error of waitpid, which a pid of our own does not give.
        reap(blocking: true) ?? Termination(status: -1, signalled: false)
    }

    public func signal(_ number: Int32) {
        if termination == nil { kill(pid, number) }
    }

    private func reap(blocking: Bool) -> Termination? {
        lock.lock()
        defer { lock.unlock() }
        if let ended { return ended }
        var status: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(pid, &status, blocking ? 0 : WNOHANG) } while result == -1 && errno == EINTR
        guard result == pid else { return nil }
        let signal = status & 0x7f
        ended = signal == 0 ? Termination(status: (status >> 8) & 0xff, signalled: false) : Termination(status: signal, signalled: true)
        return ended
    }

    private static func check(_ result: Int32, _ step: String) throws {
        guard result == 0 else { throw SetupFailure("posix_spawn \(step): \(String(cString: strerror(result)))") }
    }
}

/// glibc's spawn actions for closing every descriptor from one up and for a working folder
/// (since 2.34 and 2.29). Swift's Glibc module does not declare them (they sit behind
/// `_GNU_SOURCE`), so they are looked up by name once.
private enum GNUSpawnActions {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    static let closeFrom: CloseFrom = symbol("posix_spawn_file_actions_addclosefrom_np")
    static let changeDirectory: ChangeDirectory = symbol("posix_spawn_file_actions_addchdir_np")

    private static func symbol<F>(_ name: String) -> F {
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else {
            fatalError("\(name) is missing: the tests need glibc 2.34 or newer")
        }
        return unsafeBitCast(address, to: F.self)
    }
}
